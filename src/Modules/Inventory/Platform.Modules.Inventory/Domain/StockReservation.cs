namespace Platform.Modules.Inventory.Domain;

internal enum ReservationState
{
    /// <summary>Counted in the product's reserved quantity.</summary>
    Reserved = 1,

    /// <summary>Given back before it was committed (order cancelled or failed).</summary>
    Released = 2,

    /// <summary>Taken from stock on hand (order confirmed).</summary>
    Committed = 3,

    /// <summary>Put back on hand after it was committed (a confirmed order cancelled).</summary>
    Returned = 4,
}

/// <summary>
/// One order line's claim on one product's stock. The pair (order, product) is the key, so reserving an
/// order twice cannot claim twice, and each state change happens at most once.
/// </summary>
internal sealed class StockReservation
{
    private StockReservation()
    {
    }

    public Guid OrderId { get; private set; }

    public Guid ProductId { get; private set; }

    public int Quantity { get; private set; }

    public ReservationState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static StockReservation Create(Guid orderId, Guid productId, int quantity, DateTimeOffset now) => new()
    {
        OrderId = orderId,
        ProductId = productId,
        Quantity = quantity,
        State = ReservationState.Reserved,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
