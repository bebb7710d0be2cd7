using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Ordering.Persistence;
using Platform.Modules.Payments.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>The charge was declined: the order is cancelled as PaymentDeclined, so Inventory releases its stock.</summary>
[IntegrationEventHandler("ordering.payment-failed")]
internal sealed class CancelForDeclinedPayment(OrderingDbContext db, IEventPublisher events, TimeProvider clock) : IIntegrationEventHandler<PaymentFailed>
{
    public async Task HandleAsync(PaymentFailed integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var order = await db.LoadAsync(integrationEvent.OrderId, cancellationToken);
        order.FailAndPublish(OrderCancellationReasons.PaymentDeclined, events, clock.GetUtcNow());
    }
}
