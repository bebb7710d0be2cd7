namespace Platform.Modules.Catalog.Persistence.Search;

/// <summary>A product the full-text index matched, with its relevance (higher is better).</summary>
internal sealed class ProductMatch
{
    public Guid ProductId { get; init; }

    public double Score { get; init; }
}
