using Platform.Modules.Inventory.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// The order's stock is held: charge its total, once. The gateway's idempotency key makes a redelivery,
/// or a retry after the process died between the gateway's answer and this commit, find the first charge.
/// </summary>
[IntegrationEventHandler("payments.charge-order")]
internal sealed class ChargeReservedOrder(PaymentProcess payments) : IIntegrationEventHandler<StockReserved>
{
    public async Task HandleAsync(StockReserved integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        // OrderPlaced reaches Payments on its own path and may still be on its way: fail this attempt, the retry finds it.
        var payment = await payments.FindAsync(integrationEvent.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Payments has not heard of order {integrationEvent.OrderId} yet; its OrderPlaced is still on its way.");
        await payments.ChargeAsync(payment, cancellationToken);
    }
}
