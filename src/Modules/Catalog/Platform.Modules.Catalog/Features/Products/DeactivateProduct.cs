using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Catalog.Features.Products;

internal static class DeactivateProduct
{
    internal sealed record Command(Guid Id) : ICommand<ProductDto>;

    internal sealed class Handler(CatalogDbContext db, TimeProvider clock) : IRequestHandler<Command, ProductDto>
    {
        public async Task<ProductDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var product = await db.Products.FirstOrDefaultAsync(p => p.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Product", request.Id);
            product.Deactivate(clock.GetUtcNow());
            return ProductDto.From(product);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/products/{id:guid}/deactivate", async Task<Ok<ProductDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("DeactivateProduct")
            .WithSummary("Deactivate a product")
            .WithDescription("Deactivated products leave the default listing and can no longer be ordered. Deactivating twice changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
