namespace Platform.Modules.Inventory.Domain;

internal enum OrderClaimState
{
    /// <summary>The order reserved its lines (see its stock reservations for where they stand).</summary>
    Reserved = 1,

    /// <summary>The order was cancelled before it reserved anything: a reservation arriving later is refused.</summary>
    ClosedUnreserved = 2,
}

/// <summary>
/// One row per order that Inventory has acted on, keyed by the order. A reservation and a cancellation of
/// the same order that race both write it, so one of them fails on the key and is retried after the other:
/// a cancellation that overtakes its order's placement can never leave stock held for a dead order.
/// </summary>
internal sealed class OrderClaim
{
    private OrderClaim()
    {
    }

    public Guid OrderId { get; private set; }

    public OrderClaimState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static OrderClaim Reserved(Guid orderId, DateTimeOffset now) => new() { OrderId = orderId, State = OrderClaimState.Reserved, CreatedAt = now };

    public static OrderClaim ClosedUnreserved(Guid orderId, DateTimeOffset now) => new() { OrderId = orderId, State = OrderClaimState.ClosedUnreserved, CreatedAt = now };
}
