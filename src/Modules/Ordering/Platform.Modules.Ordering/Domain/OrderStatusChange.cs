namespace Platform.Modules.Ordering.Domain;

/// <summary>One step of an order's history: what it became, why, and when.</summary>
internal sealed class OrderStatusChange
{
    private OrderStatusChange()
    {
    }

    public long Id { get; private set; }

    public Guid OrderId { get; private set; }

    public OrderStatus Status { get; private set; }

    public string? Reason { get; private set; }

    public DateTimeOffset At { get; private set; }

    public static OrderStatusChange Of(OrderStatus status, string? reason, DateTimeOffset at) => new() { Status = status, Reason = reason, At = at };
}
