namespace Platform.Modules.Payments.Domain;

internal enum PaymentStatus
{
    /// <summary>Payments knows the order and waits for its stock to be held before charging.</summary>
    AwaitingStock,

    /// <summary>Charged.</summary>
    Succeeded,

    /// <summary>The gateway refused the charge; nothing was taken.</summary>
    Declined,

    /// <summary>Charged, then given back because the order was cancelled.</summary>
    Refunded,

    /// <summary>The order was cancelled before any charge; the gateway will refuse one under this order's key.</summary>
    Voided,
}

/// <summary>
/// Payments' own record of an order's money: its owner and total (copied from OrderPlaced, or from
/// OrderCancelled when that arrives first), whether its stock is held, and what the gateway did. It is
/// opened by whichever of the order's events arrives first, so no event ever waits for another: a
/// StockReserved that overtakes its OrderPlaced is remembered, and the charge happens when the total
/// arrives. One per order; <see cref="Version"/>
/// is a concurrency token, so a charge and a cancellation that race for it cannot both win: the loser's
/// save fails and its event is retried on what the winner left.
/// </summary>
internal sealed class Payment
{
    private readonly List<PaymentTransaction> _transactions = [];

    private Payment()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CustomerId { get; private set; }

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = string.Empty;

    public PaymentStatus Status { get; private set; }

    /// <summary>Ordering cancelled the order: nothing may be charged any more, and a charge already made is given back.</summary>
    public bool OrderCancelled { get; private set; }

    /// <summary>Inventory holds the order's stock: the charge may be made once the total is known.</summary>
    public bool StockHeld { get; private set; }

    /// <summary>The owner and total are known (an event that carries them has arrived).</summary>
    public bool IsDescribed => CustomerId != Guid.Empty;

    public string? DeclineReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<PaymentTransaction> Transactions => _transactions;

    /// <summary>The key the gateway knows the order's one charge by: retries and redeliveries reuse it, so it charges once.</summary>
    public string ChargeKey => $"charge-{OrderId:N}";

    public string RefundKey => $"refund-{OrderId:N}";

    public static Payment Open(Guid orderId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = orderId,
        Status = PaymentStatus.AwaitingStock,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Takes the order's owner and total from the first event that carries them; later copies change nothing.</summary>
    public void Describe(Guid customerId, decimal amount, string currency, DateTimeOffset now)
    {
        if (!IsDescribed)
        {
            CustomerId = customerId;
            Amount = amount;
            Currency = currency;
            Touch(now);
        }
    }

    public void MarkStockHeld(DateTimeOffset now)
    {
        if (!StockHeld)
        {
            StockHeld = true;
            Touch(now);
        }
    }

    public void MarkOrderCancelled(DateTimeOffset now)
    {
        if (!OrderCancelled)
        {
            OrderCancelled = true;
            Touch(now);
        }
    }

    public void RecordCharge(string reference, DateTimeOffset now)
    {
        Status = PaymentStatus.Succeeded;
        _transactions.Add(PaymentTransaction.Of(PaymentTransactionKind.Charge, "Succeeded", Amount, Currency, reference, now));
        Touch(now);
    }

    public void RecordDecline(string reference, string reason, DateTimeOffset now)
    {
        Status = PaymentStatus.Declined;
        DeclineReason = reason;
        _transactions.Add(PaymentTransaction.Of(PaymentTransactionKind.Charge, "Declined", Amount, Currency, reference, now));
        Touch(now);
    }

    /// <summary>The charge was given back. A charge the gateway made that this record had not heard of yet is recorded first.</summary>
    public void RecordRefund(string chargeReference, string refundReference, DateTimeOffset now)
    {
        if (Status == PaymentStatus.AwaitingStock)
        {
            _transactions.Add(PaymentTransaction.Of(PaymentTransactionKind.Charge, "Succeeded", Amount, Currency, chargeReference, now));
        }

        Status = PaymentStatus.Refunded;
        _transactions.Add(PaymentTransaction.Of(PaymentTransactionKind.Refund, "Succeeded", Amount, Currency, refundReference, now));
        Touch(now);
    }

    public void RecordVoid(DateTimeOffset now)
    {
        Status = PaymentStatus.Voided;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}
