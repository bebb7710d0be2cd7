using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// The order was cancelled: from now on nothing may be charged for it. Its own step, with no gateway call,
/// so the flag is stored even while the gateway is down (the refund or void is <see cref="RefundCancelledOrder"/>'s,
/// retried on its own): a charge retried later sees the flag and settles instead of charging.
/// </summary>
[IntegrationEventHandler("payments.close-cancelled-order")]
internal sealed class CloseCancelledOrder(PaymentProcess payments, TimeProvider clock) : IIntegrationEventHandler<OrderCancelled>
{
    public async Task HandleAsync(OrderCancelled integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var payment = await payments.ForOrderAsync(
            integrationEvent.OrderId, integrationEvent.CustomerId, integrationEvent.Total, integrationEvent.Currency, cancellationToken);
        payment.MarkOrderCancelled(clock.GetUtcNow());
    }
}
