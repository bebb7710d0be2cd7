using Microsoft.EntityFrameworkCore;
using Platform.Modules.Ordering.Domain;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>What every saga step of Ordering shares: load the order tracked, and publish the event a move produces.</summary>
internal static class SagaOrders
{
    /// <summary>
    /// The order an event is about. Every saga event follows this module's own OrderPlaced, which was
    /// committed with the order, so a missing order means lost data: the attempt fails and stays visible.
    /// </summary>
    public static async Task<Order> LoadAsync(this OrderingDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Orders.Include(o => o.History).FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
        ?? throw new InvalidOperationException($"Order {orderId} does not exist in Ordering.");

    /// <summary>Ends an open order for <paramref name="reason"/> and tells everyone; false when it was no longer open.</summary>
    public static bool FailAndPublish(this Order order, string reason, IEventPublisher events, DateTimeOffset now)
    {
        if (!order.Fail(reason, now))
        {
            return false;
        }

        events.Publish(order.CancelledEvent());
        return true;
    }
}
