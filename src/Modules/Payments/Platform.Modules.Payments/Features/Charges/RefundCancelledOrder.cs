using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// The order was cancelled: refund its charge, or void its charge key so none is ever made. When the
/// cancellation arrives before the order's placement, the payment is opened from it, already closed.
/// </summary>
[IntegrationEventHandler("payments.refund-cancelled-order")]
internal sealed class RefundCancelledOrder(PaymentProcess payments) : IIntegrationEventHandler<OrderCancelled>
{
    public async Task HandleAsync(OrderCancelled integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var payment = await payments.ForOrderAsync(
            integrationEvent.OrderId, integrationEvent.CustomerId, integrationEvent.Total, integrationEvent.Currency, cancellationToken);
        await payments.SettleCancelledAsync(payment, cancellationToken);
    }
}
