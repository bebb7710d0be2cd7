using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Catalog.Domain;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Security;

namespace Platform.Modules.Catalog.Features.Products;

internal static class UpdateProduct
{
    /// <summary>The body of the request; the id comes from the route. The SKU cannot change.</summary>
    internal sealed record Body(string Name, string? Description, string Category, MoneyDto Price);

    internal sealed record Command(Guid Id, string Name, string? Description, string Category, MoneyDto Price) : ICommand<ProductDto>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).ProductName();
            RuleFor(c => c.Description).ProductDescription();
            RuleFor(c => c.Category).ProductCategory();
            RuleFor(c => c.Price).ProductPrice();
        }
    }

    internal sealed class Handler(CatalogDbContext db, IEventPublisher events, TimeProvider clock) : IRequestHandler<Command, ProductDto>
    {
        public async Task<ProductDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var product = await db.Products.FirstOrDefaultAsync(p => p.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Product", request.Id);
            var previous = product.Price;
            if (product.Update(request.Name, request.Description, request.Category, Money.Of(request.Price.Amount, request.Price.Currency), clock.GetUtcNow()))
            {
                events.Publish(new ProductPriceChanged(
                    product.Id, product.Price.Amount, product.Price.Currency, previous.Amount, previous.Currency, product.Version));
            }

            return ProductDto.From(product);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPut("/products/{id:guid}", async Task<Ok<ProductDto>> (Guid id, Body body, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id, body.Name, body.Description, body.Category, body.Price), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("UpdateProduct")
            .WithSummary("Update a product's name, description, category and price")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
