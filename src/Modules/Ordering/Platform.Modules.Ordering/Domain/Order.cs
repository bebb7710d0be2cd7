using Platform.Modules.Ordering.Contracts;

namespace Platform.Modules.Ordering.Domain;

/// <summary>
/// A customer's order and its place in the saga. Every change goes through a method that checks the
/// order is at the step it expects and returns false when it is not, so a late, repeated or reordered
/// event changes nothing. <see cref="Version"/> is a concurrency token: two writers that both saw the same
/// state cannot both move it (the second one's save fails and its work is retried on the new state).
/// </summary>
internal sealed class Order
{
    public const int MaxLines = 50;
    public const int MaxQuantityPerLine = 1_000;
    public const int IdempotencyKeyMaxLength = 100;

    private readonly List<OrderLine> _lines = [];
    private readonly List<OrderStatusChange> _history = [];

    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    /// <summary>Where the customer hears of the outcome: the e-mail address in their token at placement.</summary>
    public string CustomerEmail { get; private set; } = string.Empty;

    public OrderStatus Status { get; private set; }

    public string? CancellationReason { get; private set; }

    public decimal Total { get; private set; }

    public string Currency { get; private set; } = string.Empty;

    public DateTimeOffset PlacedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The client's Idempotency-Key, unique per customer; null when none was sent.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>A hash of the request the key was first used with, so a different body under the same key is refused.</summary>
    public string? RequestFingerprint { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;

    public IReadOnlyList<OrderStatusChange> History => _history;

    public bool IsOpen => Status is OrderStatus.Pending or OrderStatus.StockReserved;

    public static Order Place(
        Guid customerId, string customerEmail, IReadOnlyList<OrderLine> lines, string currency,
        string? idempotencyKey, string? requestFingerprint, DateTimeOffset now)
    {
        var order = new Order
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customerId,
            CustomerEmail = customerEmail,
            Status = OrderStatus.Pending,
            Currency = currency,
            Total = lines.Sum(l => l.LineTotal),
            PlacedAt = now,
            UpdatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestFingerprint = requestFingerprint,
        };
        order._lines.AddRange(lines);
        order._history.Add(OrderStatusChange.Of(OrderStatus.Pending, null, now));
        return order;
    }

    /// <summary>Inventory holds every line. Only a pending order moves.</summary>
    public bool MarkStockReserved(DateTimeOffset now) =>
        Status == OrderStatus.Pending && MoveTo(OrderStatus.StockReserved, null, now);

    /// <summary>
    /// The charge succeeded. A pending order may confirm too: the stock answer and the payment answer
    /// can arrive in either order, and the payment is only ever made after the stock was held.
    /// </summary>
    public bool Confirm(DateTimeOffset now)
    {
        if (!IsOpen)
        {
            return false;
        }

        if (Status == OrderStatus.Pending)
        {
            MoveTo(OrderStatus.StockReserved, null, now);
        }

        return MoveTo(OrderStatus.Confirmed, null, now);
    }

    /// <summary>Ends an open order for a saga reason (stock, payment, time). A confirmed or cancelled order stays as it is.</summary>
    public bool Fail(string reason, DateTimeOffset now) =>
        IsOpen && MoveTo(OrderStatus.Cancelled, reason, now);

    /// <summary>The customer or an administrator cancels: allowed until the order is cancelled (there is no shipping yet).</summary>
    public bool CancelByCustomer(DateTimeOffset now) =>
        Status != OrderStatus.Cancelled && MoveTo(OrderStatus.Cancelled, OrderCancellationReasons.CustomerCancelled, now);

    /// <summary>Whether the order had been confirmed before it was cancelled (its stock was taken, its charge made).</summary>
    public bool WasConfirmed => _history.Any(h => h.Status == OrderStatus.Confirmed);

    public OrderCancelled CancelledEvent() =>
        new(Id, CustomerId, CustomerEmail, CancellationReason ?? string.Empty, WasConfirmed, Total, Currency);

    private bool MoveTo(OrderStatus status, string? reason, DateTimeOffset now)
    {
        Status = status;
        CancellationReason = reason;
        UpdatedAt = now;
        Version++;
        _history.Add(OrderStatusChange.Of(status, reason, now));
        return true;
    }
}
