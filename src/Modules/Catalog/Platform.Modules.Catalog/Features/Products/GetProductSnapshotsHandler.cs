using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;

namespace Platform.Modules.Catalog.Features.Products;

/// <summary>Answers other modules' price look-ups (Ordering prices orders with it, never trusting client prices).</summary>
internal sealed class GetProductSnapshotsHandler(CatalogDbContext db)
    : IContractQueryHandler<GetProductSnapshots, IReadOnlyList<ProductSnapshot>>
{
    public async Task<IReadOnlyList<ProductSnapshot>> HandleAsync(GetProductSnapshots query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ids = query.ProductIds.Distinct().ToList();
        if (ids.Count > GetProductSnapshots.MaxProducts)
        {
            throw new BusinessRuleException($"At most {GetProductSnapshots.MaxProducts} products can be looked up at once.");
        }

        return await db.Products.AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .Select(p => new ProductSnapshot(p.Id, p.Sku, p.Name, p.Price.Amount, p.Price.Currency, p.IsActive))
            .ToListAsync(cancellationToken);
    }
}
