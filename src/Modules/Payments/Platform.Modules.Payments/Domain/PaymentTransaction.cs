namespace Platform.Modules.Payments.Domain;

internal enum PaymentTransactionKind
{
    Charge,
    Refund,
}

/// <summary>One call to the gateway that moved (or refused to move) money, with the gateway's reference.</summary>
internal sealed class PaymentTransaction
{
    private PaymentTransaction()
    {
    }

    public long Id { get; private set; }

    public Guid PaymentId { get; private set; }

    public PaymentTransactionKind Kind { get; private set; }

    public string Outcome { get; private set; } = string.Empty;

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = string.Empty;

    public string GatewayReference { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    public static PaymentTransaction Of(PaymentTransactionKind kind, string outcome, decimal amount, string currency, string reference, DateTimeOffset at) => new()
    {
        Kind = kind,
        Outcome = outcome,
        Amount = amount,
        Currency = currency,
        GatewayReference = reference,
        At = at,
    };
}
