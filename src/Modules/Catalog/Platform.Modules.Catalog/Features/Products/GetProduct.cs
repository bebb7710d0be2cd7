using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Domain;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;

namespace Platform.Modules.Catalog.Features.Products;

internal static class GetProduct
{
    internal sealed record Query(Guid Id) : IQuery<ProductDto>;

    internal sealed class Handler(CatalogDbContext db) : IRequestHandler<Query, ProductDto>
    {
        // The most frequent read of the catalog: compiled once, it skips EF's per-call query-cache lookup
        // (docs/decisions/0009).
        private static readonly Func<CatalogDbContext, Guid, CancellationToken, Task<Product?>> ById =
            EF.CompileAsyncQuery((CatalogDbContext context, Guid id, CancellationToken _) =>
                context.Products.AsNoTracking().FirstOrDefault(p => p.Id == id));

        public async Task<ProductDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var product = await ById(db, request.Id, cancellationToken) ?? throw new NotFoundException("Product", request.Id);
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
