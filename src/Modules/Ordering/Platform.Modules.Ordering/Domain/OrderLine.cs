namespace Platform.Modules.Ordering.Domain;

/// <summary>One product of an order, with the name and price Catalog gave at placement (never the client's).</summary>
internal sealed class OrderLine
{
    private OrderLine()
    {
    }

    public Guid OrderId { get; private set; }

    /// <summary>1-based, in the order the client sent the lines.</summary>
    public int LineNumber { get; private set; }

    public Guid ProductId { get; private set; }

    public string Sku { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public decimal UnitPrice { get; private set; }

    public int Quantity { get; private set; }

    public decimal LineTotal => UnitPrice * Quantity;

    public static OrderLine Of(int lineNumber, Guid productId, string sku, string name, decimal unitPrice, int quantity) => new()
    {
        LineNumber = lineNumber,
        ProductId = productId,
        Sku = sku,
        Name = name,
        UnitPrice = unitPrice,
        Quantity = quantity,
    };
}
