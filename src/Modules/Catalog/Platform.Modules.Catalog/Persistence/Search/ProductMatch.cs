namespace Platform.Modules.Catalog.Persistence.Search;

/// <summary>
/// A product the full-text index matched, with what a search filters and orders by without a category
/// (so a page of a common word never reads every matching product), and its relevance (higher is better).
/// </summary>
internal sealed class ProductMatch
{
    public Guid ProductId { get; init; }

    public bool IsActive { get; init; }

    public string Name { get; init; } = string.Empty;

    public double Score { get; init; }
}
