using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Persistence;

namespace Platform.Modules.Inventory.Features.Reservations;

/// <summary>
/// Every change to stock quantities and reservation states, each one conditional single statement. The
/// condition is checked by the database on the row as it is when the statement runs, under the row's
/// write lock, so two writers can never both succeed on the same last unit, on SQL Server's read committed
/// as on SQLite's single writer. Never read a quantity, decide, then write it back.
/// </summary>
internal static class StockLedger
{
    /// <summary>Claims <paramref name="quantity"/> of what is available; false when there is not enough (or no such item).</summary>
    public static async Task<bool> TryReserveAsync(InventoryDbContext db, Guid productId, int quantity, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.StockItems
            .Where(s => s.ProductId == productId && s.OnHand - s.Reserved >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved + quantity).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 1;

    public static Task<int> UnreserveAsync(InventoryDbContext db, Guid productId, int quantity, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.StockItems
            .Where(s => s.ProductId == productId && s.Reserved >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved - quantity).SetProperty(x => x.UpdatedAt, now), cancellationToken);

    /// <summary>A reserved quantity leaves stock: on hand and reserved both go down.</summary>
    public static Task<int> TakeAsync(InventoryDbContext db, Guid productId, int quantity, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.StockItems
            .Where(s => s.ProductId == productId && s.Reserved >= quantity && s.OnHand >= quantity)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.OnHand, x => x.OnHand - quantity)
                .SetProperty(x => x.Reserved, x => x.Reserved - quantity)
                .SetProperty(x => x.UpdatedAt, now), cancellationToken);

    public static Task<int> PutBackAsync(InventoryDbContext db, Guid productId, int quantity, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.StockItems
            .Where(s => s.ProductId == productId && s.OnHand <= StockItem.MaxQuantity - quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand + quantity).SetProperty(x => x.UpdatedAt, now), cancellationToken);

    /// <summary>Sets on hand unless that would drop below what is reserved; false then.</summary>
    public static async Task<bool> TrySetOnHandAsync(InventoryDbContext db, Guid productId, int onHand, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.StockItems
            .Where(s => s.ProductId == productId && s.Reserved <= onHand)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, onHand).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 1;

    /// <summary>Moves one reservation from <paramref name="from"/> to <paramref name="to"/>; false when it is not in <paramref name="from"/> (already moved).</summary>
    public static async Task<bool> TryMoveAsync(
        InventoryDbContext db, Guid orderId, Guid productId, ReservationState from, ReservationState to, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Reservations
            .Where(r => r.OrderId == orderId && r.ProductId == productId && r.State == from)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.State, to).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 1;
}
