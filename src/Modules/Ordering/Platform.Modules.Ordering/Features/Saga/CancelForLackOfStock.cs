using Platform.Modules.Inventory.Contracts;
using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>Inventory could not hold every line: the order is cancelled as OutOfStock (if it is still open).</summary>
[IntegrationEventHandler("ordering.stock-rejected")]
internal sealed class CancelForLackOfStock(OrderingDbContext db, IEventPublisher events, TimeProvider clock) : IIntegrationEventHandler<StockReservationRejected>
{
    public async Task HandleAsync(StockReservationRejected integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var order = await db.LoadAsync(integrationEvent.OrderId, cancellationToken);
        order.FailAndPublish(OrderCancellationReasons.OutOfStock, events, clock.GetUtcNow());
    }
}
