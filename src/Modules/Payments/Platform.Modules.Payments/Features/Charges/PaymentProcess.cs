using Microsoft.EntityFrameworkCore;
using Platform.Modules.Payments.Contracts;
using Platform.Modules.Payments.Domain;
using Platform.Modules.Payments.Features.Gateway;
using Platform.Modules.Payments.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Payments.Features.Charges;

/// <summary>
/// The two things Payments does with an order's money, shared by its event handlers: charge it once, and
/// settle a cancelled order (refund what was charged, or void the charge key so nothing ever is). Both
/// run in the handler's inbox transaction; the payment's concurrency token makes the one that loses a race
/// fail its save and run again on what the winner left.
/// </summary>
internal sealed class PaymentProcess(PaymentsDbContext db, IPaymentGateway gateway, IEventPublisher events, TimeProvider clock)
{
    /// <summary>
    /// The order's payment, opened by whichever of its events comes first (two that race to open it meet
    /// on the unique order id; the loser is retried and finds it).
    /// </summary>
    public async Task<Payment> ForOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.Include(p => p.Transactions).FirstOrDefaultAsync(p => p.OrderId == orderId, cancellationToken);
        if (payment is null)
        {
            payment = Payment.Open(orderId, clock.GetUtcNow());
            db.Payments.Add(payment);
        }

        return payment;
    }

    /// <summary>The order's payment, holding its owner and total from the first event that carried them.</summary>
    public async Task<Payment> ForOrderAsync(Guid orderId, Guid customerId, decimal total, string currency, CancellationToken cancellationToken)
    {
        var payment = await ForOrderAsync(orderId, cancellationToken);
        payment.Describe(customerId, total, currency, clock.GetUtcNow());
        return payment;
    }

    /// <summary>Charges a payment whose stock is held and whose total is known; anything already decided is left alone.</summary>
    public async Task ChargeIfDueAsync(Payment payment, CancellationToken cancellationToken)
    {
        if (payment.Status != PaymentStatus.AwaitingStock || !payment.StockHeld || !payment.IsDescribed)
        {
            return;
        }

        if (payment.OrderCancelled)
        {
            await SettleCancelledAsync(payment, cancellationToken);
            return;
        }

        var charge = await gateway.ChargeAsync(
            new ChargeRequest(payment.ChargeKey, payment.OrderId, payment.CustomerId, payment.Amount, payment.Currency), cancellationToken);
        var now = clock.GetUtcNow();
        switch (charge.Outcome)
        {
            case ChargeOutcome.Succeeded:
                payment.RecordCharge(charge.Reference, now);
                events.Publish(new PaymentSucceeded(payment.OrderId, payment.Id, payment.Amount, payment.Currency, charge.Reference));
                break;
            case ChargeOutcome.Declined:
                var reason = charge.DeclineReason ?? "Declined by the payment provider.";
                payment.RecordDecline(charge.Reference, reason, now);
                events.Publish(new PaymentFailed(payment.OrderId, payment.Id, reason));
                break;
            default:
                // Voided: a cancellation got to the gateway first; its own handler records the rest.
                payment.RecordVoid(now);
                break;
        }
    }

    /// <summary>The order is cancelled: a charge (recorded, or made but not recorded yet) is refunded; otherwise the charge key is voided.</summary>
    public async Task SettleCancelledAsync(Payment payment, CancellationToken cancellationToken)
    {
        payment.MarkOrderCancelled(clock.GetUtcNow());
        if (payment.Status is not (PaymentStatus.AwaitingStock or PaymentStatus.Succeeded))
        {
            return; // declined, refunded or voided: nothing is held
        }

        var refund = await gateway.RefundAsync(new RefundRequest(payment.RefundKey, payment.ChargeKey, payment.OrderId, payment.Amount, payment.Currency), cancellationToken);
        var now = clock.GetUtcNow();
        if (refund.Outcome == RefundOutcome.Refunded)
        {
            var chargeReference = refund.ChargeReference ?? payment.Transactions.LastOrDefault(t => t.Kind == PaymentTransactionKind.Charge)?.GatewayReference ?? string.Empty;
            payment.RecordRefund(chargeReference, refund.RefundReference!, now);
            events.Publish(new PaymentRefunded(payment.OrderId, payment.Id, payment.Amount, payment.Currency, refund.RefundReference!));
        }
        else if (payment.Status == PaymentStatus.AwaitingStock)
        {
            payment.RecordVoid(now);
        }
        else
        {
            // We recorded a charge the gateway no longer knows: the money may still be taken. Failing keeps
            // the refund retrying and, in the end, a dead letter an operator sees; never a silent "refunded".
            throw new InvalidOperationException(
                $"The gateway has no charge under {payment.ChargeKey} for order {payment.OrderId}, which Payments recorded as charged; refund it by hand.");
        }
    }
}
