using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Inventory.Features.OrderStock;

/// <summary>
/// A cancelled order gives its stock back: reserved stock is released, taken stock returned, and an order
/// whose reservation has not arrived yet is closed so that it never holds any.
/// </summary>
[IntegrationEventHandler("inventory.release-order")]
internal sealed class ReleaseCancelledOrder(StockReservations reservations) : IIntegrationEventHandler<OrderCancelled>
{
    public async Task HandleAsync(OrderCancelled integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        await reservations.CloseAsync(integrationEvent.OrderId, cancellationToken);
    }
}
