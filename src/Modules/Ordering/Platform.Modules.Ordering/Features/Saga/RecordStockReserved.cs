using Platform.Modules.Inventory.Contracts;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>Inventory holds the lines: a pending order moves on. Any other state (already confirmed, cancelled) ignores it.</summary>
[IntegrationEventHandler("ordering.stock-reserved")]
internal sealed class RecordStockReserved(OrderingDbContext db, TimeProvider clock) : IIntegrationEventHandler<StockReserved>
{
    public async Task HandleAsync(StockReserved integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var order = await db.LoadAsync(integrationEvent.OrderId, cancellationToken);
        order.MarkStockReserved(clock.GetUtcNow());
    }
}
