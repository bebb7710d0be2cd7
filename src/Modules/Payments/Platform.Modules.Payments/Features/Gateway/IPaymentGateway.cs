namespace Platform.Modules.Payments.Features.Gateway;

internal sealed record ChargeRequest(string IdempotencyKey, Guid OrderId, Guid CustomerId, decimal Amount, string Currency);

internal enum ChargeOutcome
{
    Succeeded,
    Declined,

    /// <summary>The key was voided by a refund that found nothing to refund: the order was cancelled first.</summary>
    Voided,
}

internal sealed record ChargeResult(ChargeOutcome Outcome, string Reference, string? DeclineReason);

internal sealed record RefundRequest(string IdempotencyKey, string ChargeIdempotencyKey, Guid OrderId, decimal Amount, string Currency);

internal enum RefundOutcome
{
    /// <summary>The charge made under the charge key was given back (now, or by an earlier call with the same key).</summary>
    Refunded,

    /// <summary>Nothing was charged under the charge key, and from now on nothing will be: the key is voided.</summary>
    NothingCharged,
}

internal sealed record RefundResult(RefundOutcome Outcome, string? ChargeReference, string? RefundReference);

/// <summary>
/// The payment provider. What Payments relies on, and what a real gateway's adapter must honour
/// (docs/ordering.md, "The payment gateway"):
/// <list type="bullet">
/// <item>A charge with an idempotency key already used returns that first charge's result and never charges again,
/// however often and however long after it is repeated.</item>
/// <item>A refund names the charge's key. It refunds that charge once; with nothing charged under the key it
/// voids the key, so a charge still in flight under it is refused. That closes the race between a late charge
/// and the cancellation of its order.</item>
/// </list>
/// </summary>
internal interface IPaymentGateway
{
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
