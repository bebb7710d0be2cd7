using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Ordering.Persistence;
using Platform.Modules.Payments.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>
/// The charge succeeded: an open order is confirmed. A cancelled one stays cancelled; Payments heard of
/// that cancellation too and refunds the late charge itself.
/// </summary>
[IntegrationEventHandler("ordering.payment-succeeded")]
internal sealed class ConfirmPaidOrder(OrderingDbContext db, IEventPublisher events, TimeProvider clock) : IIntegrationEventHandler<PaymentSucceeded>
{
    public async Task HandleAsync(PaymentSucceeded integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var order = await db.LoadAsync(integrationEvent.OrderId, cancellationToken);
        if (order.Confirm(clock.GetUtcNow()))
        {
            events.Publish(new OrderConfirmed(order.Id, order.CustomerId, order.CustomerEmail, order.Total, order.Currency));
        }
    }
}
