using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;

namespace Platform.Modules.Inventory.Features.Stock;

internal static class GetStock
{
    internal sealed record Query(Guid ProductId) : IQuery<StockDto>;

    internal sealed class Handler(InventoryDbContext db) : IRequestHandler<Query, StockDto>
    {
        public async Task<StockDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var item = await db.StockItems.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == request.ProductId, cancellationToken)
                ?? throw new NotFoundException("Stock item", request.ProductId);
            return StockDto.From(item);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/stock/{productId:guid}", async Task<Ok<StockDto>> (Guid productId, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(productId), cancellationToken)))
            .WithName("GetStock")
            .WithSummary("Get a product's stock")
            .WithDescription("On hand, reserved for orders not yet confirmed, and available (on hand minus reserved). Any signed-in caller.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
