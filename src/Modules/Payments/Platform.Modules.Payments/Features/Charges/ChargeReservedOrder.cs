using Platform.Modules.Inventory.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// The order's stock is held: charge its total, once. The gateway's idempotency key makes a redelivery,
/// or a retry after the process died between the gateway's answer and this commit, find the first charge.
/// When the order's total has not arrived yet (its OrderPlaced reaches Payments on its own path), the news
/// is kept and the charge is made when the total arrives.
/// </summary>
[IntegrationEventHandler("payments.charge-order")]
internal sealed class ChargeReservedOrder(PaymentProcess payments, TimeProvider clock) : IIntegrationEventHandler<StockReserved>
{
    public async Task HandleAsync(StockReserved integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var payment = await payments.ForOrderAsync(integrationEvent.OrderId, cancellationToken);
        payment.MarkStockHeld(clock.GetUtcNow());
        await payments.ChargeIfDueAsync(payment, cancellationToken);
    }
}
