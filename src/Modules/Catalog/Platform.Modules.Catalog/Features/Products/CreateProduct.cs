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

internal static class CreateProduct
{
    internal sealed record Command(string Sku, string Name, string? Description, string Category, MoneyDto Price) : ICommand<ProductDto>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Sku).Cascade(CascadeMode.Stop)
                .NotEmpty()
                .MaximumLength(Product.SkuMaxLength)
                .Must(sku => Product.IsValidSku(Product.NormalizeSku(sku)))
                .WithMessage("Letters, digits, '.', '_' and '-' only, starting with a letter or digit.");
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
            var sku = Product.NormalizeSku(request.Sku);
            if (await db.Products.AnyAsync(p => p.Sku == sku, cancellationToken))
            {
                throw new ConflictException($"A product with SKU '{sku}' already exists.");
            }

            var product = Product.Create(
                sku, request.Name, request.Description, request.Category,
                Money.Of(request.Price.Amount, request.Price.Currency), clock.GetUtcNow());
            db.Products.Add(product);
            events.Publish(new ProductCreated(product.Id, product.Sku, product.Name, product.Price.Amount, product.Price.Currency));
            return ProductDto.From(product);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/products", async Task<Created<ProductDto>> (Command command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var product = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/catalog/products/{product.Id}", product);
            })
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("CreateProduct")
            .WithSummary("Create a product")
            .WithDescription("The SKU is unique regardless of letter case and is stored in upper case.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
}
