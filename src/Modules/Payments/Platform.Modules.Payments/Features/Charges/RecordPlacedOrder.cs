using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// Keeps Payments' own copy of a new order's owner and total. Nothing is charged until the order's stock
/// is held, unless that news came first: then the charge is made now.
/// </summary>
[IntegrationEventHandler("payments.record-order")]
internal sealed class RecordPlacedOrder(PaymentProcess payments) : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var payment = await payments.ForOrderAsync(
            integrationEvent.OrderId, integrationEvent.CustomerId, integrationEvent.Total, integrationEvent.Currency, cancellationToken);
        await payments.ChargeIfDueAsync(payment, cancellationToken);
    }
}
