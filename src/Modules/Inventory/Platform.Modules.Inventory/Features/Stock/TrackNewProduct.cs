using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Inventory.Features.Stock;

/// <summary>
/// Every new product gets a stock item with nothing on hand, holding Inventory's own copy of its SKU and
/// name. Runs once per event; an item that already exists (set by an administrator before the event
/// arrived) is left as it is.
/// </summary>
[IntegrationEventHandler("inventory.track-new-product")]
internal sealed class TrackNewProduct(InventoryDbContext db, TimeProvider clock) : IIntegrationEventHandler<ProductCreated>
{
    public async Task HandleAsync(ProductCreated integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        if (!await db.StockItems.AnyAsync(s => s.ProductId == integrationEvent.ProductId, cancellationToken))
        {
            db.StockItems.Add(StockItem.Create(integrationEvent.ProductId, integrationEvent.Sku, integrationEvent.Name, 0, clock.GetUtcNow()));
        }
    }
}
