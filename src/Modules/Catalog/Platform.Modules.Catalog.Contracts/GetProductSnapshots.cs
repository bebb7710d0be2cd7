using Platform.Shared.Abstractions;

namespace Platform.Modules.Catalog.Contracts;

/// <summary>
/// Current snapshots of the given products. Unknown ids are left out of the answer, so a caller can
/// tell them apart from inactive products. At most <see cref="MaxProducts"/> ids per query.
/// </summary>
[ContractQuery("catalog.product-snapshots")]
public sealed record GetProductSnapshots(IReadOnlyCollection<Guid> ProductIds) : IContractQuery<IReadOnlyList<ProductSnapshot>>
{
    public const int MaxProducts = 500;
}

/// <summary>What another module may know of a product: enough to price and describe an order line.</summary>
public sealed record ProductSnapshot(Guid ProductId, string Sku, string Name, decimal UnitPrice, string Currency, bool IsActive);
