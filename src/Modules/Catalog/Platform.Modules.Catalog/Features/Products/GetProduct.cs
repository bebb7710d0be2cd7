using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;

namespace Platform.Modules.Catalog.Features.Products;

internal static class GetProduct
{
    internal sealed record Query(Guid Id) : IQuery<ProductDto>;

    internal sealed class Handler(CatalogDbContext db) : IRequestHandler<Query, ProductDto>
    {
        public async Task<ProductDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Product", request.Id);
            return ProductDto.From(product);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/products/{id:guid}", async Task<Ok<ProductDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(id), cancellationToken)))
            .AllowAnonymous()
            .WithName("GetProduct")
            .WithSummary("Get a product by id")
            .WithDescription("Inactive products are returned too, with isActive false.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
