using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Contracts;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Inventory.Persistence;
using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Inventory.Features.OrderStock;

/// <summary>
/// A new order: hold every line's stock or none, and say which. An order that was cancelled before this
/// arrived, or that reserved before, changes nothing and is not answered twice.
/// </summary>
[IntegrationEventHandler("inventory.reserve-order")]
internal sealed class ReserveOrderStock(StockReservations reservations, InventoryDbContext db, IEventPublisher events) : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var lines = integrationEvent.Lines.Select(l => new ReservationLine(l.ProductId, l.Quantity)).ToList();
        switch (await reservations.ReserveAsync(integrationEvent.OrderId, lines, cancellationToken))
        {
            case ReservationOutcome.Reserved:
                events.Publish(new StockReserved(integrationEvent.OrderId));
                break;
            case ReservationOutcome.InsufficientStock:
                events.Publish(new StockReservationRejected(integrationEvent.OrderId, await ShortProductsAsync(lines, cancellationToken)));
                break;
            case ReservationOutcome.AlreadySettled:
                break;
            default:
                throw new InvalidOperationException($"Order {integrationEvent.OrderId} already holds a reservation with other lines.");
        }
    }

    private async Task<List<Guid>> ShortProductsAsync(List<ReservationLine> lines, CancellationToken cancellationToken)
    {
        var ids = lines.Select(l => l.ProductId).ToList();
        var available = await db.StockItems.AsNoTracking().Where(s => ids.Contains(s.ProductId))
            .ToDictionaryAsync(s => s.ProductId, s => s.OnHand - s.Reserved, cancellationToken);
        return lines.Where(l => available.GetValueOrDefault(l.ProductId) < l.Quantity).Select(l => l.ProductId).ToList();
    }
}
