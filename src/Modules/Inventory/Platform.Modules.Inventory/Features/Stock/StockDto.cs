using Platform.Modules.Inventory.Domain;

namespace Platform.Modules.Inventory.Features.Stock;

internal sealed record StockDto(Guid ProductId, int OnHand, int Reserved, int Available)
{
    public static StockDto From(StockItem item) => new(item.ProductId, item.OnHand, item.Reserved, item.Available);
}
