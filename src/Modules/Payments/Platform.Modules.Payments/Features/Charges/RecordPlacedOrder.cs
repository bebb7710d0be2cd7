using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>Keeps Payments' own copy of a new order's owner and total; nothing is charged until its stock is held.</summary>
[IntegrationEventHandler("payments.record-order")]
internal sealed class RecordPlacedOrder(PaymentProcess payments) : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        if (await payments.FindAsync(integrationEvent.OrderId, cancellationToken) is null)
        {
            payments.Open(integrationEvent.OrderId, integrationEvent.CustomerId, integrationEvent.Total, integrationEvent.Currency);
        }
    }
}
