namespace Platform.Modules.Inventory.Domain;

/// <summary>
/// The stock of one product. Inventory keeps its own copy of what it needs of the product (SKU, name) from
/// Catalog's events and never reads Catalog's data. Quantities only change through single conditional
/// statements (<c>StockLedger</c>), so concurrent writers can never take the numbers below zero.
/// </summary>
internal sealed class StockItem
{
    public const int MaxQuantity = 1_000_000_000;

    private StockItem()
    {
    }

    public Guid ProductId { get; private set; }

    public string Sku { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public int OnHand { get; private set; }

    /// <summary>Promised to orders that are not yet confirmed; never more than <see cref="OnHand"/>.</summary>
    public int Reserved { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Available => OnHand - Reserved;

    public static StockItem Create(Guid productId, string sku, string name, int onHand, DateTimeOffset now) => new()
    {
        ProductId = productId,
        Sku = sku,
        Name = name,
        OnHand = onHand,
        UpdatedAt = now,
    };
}
