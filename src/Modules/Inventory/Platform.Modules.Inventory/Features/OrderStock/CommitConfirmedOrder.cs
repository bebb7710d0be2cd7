using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Inventory.Features.OrderStock;

/// <summary>A confirmed order's reserved stock leaves the shelf. Nothing reserved (released meanwhile, or already taken) changes nothing.</summary>
[IntegrationEventHandler("inventory.commit-order")]
internal sealed class CommitConfirmedOrder(StockReservations reservations) : IIntegrationEventHandler<OrderConfirmed>
{
    public async Task HandleAsync(OrderConfirmed integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        await reservations.CommitAsync(integrationEvent.OrderId, cancellationToken);
    }
}
