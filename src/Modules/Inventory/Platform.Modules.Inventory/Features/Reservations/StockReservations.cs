using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Persistence;

namespace Platform.Modules.Inventory.Features.Reservations;

internal sealed record ReservationLine(Guid ProductId, int Quantity);

internal enum ReservationOutcome
{
    Reserved,

    /// <summary>A line's product has too little available stock, or no stock item: nothing was reserved.</summary>
    InsufficientStock,
}

/// <summary>
/// The reservation model of an order: reserve all of its lines or none, then release, commit or return
/// them. Every operation is idempotent per order: repeating it changes nothing, so a redelivered event
/// or a retried saga step is harmless. Each is atomic: its own transaction, or a savepoint of the caller's
/// (an event handler's inbox transaction, say).
/// </summary>
internal sealed class StockReservations(InventoryDbContext db, TimeProvider clock)
{
    public async Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0 || lines.Any(l => l.Quantity <= 0) || lines.Select(l => l.ProductId).Distinct().Count() != lines.Count)
        {
            throw new ArgumentException("An order reserves at least one line, each product once, each a positive quantity.", nameof(lines));
        }

        if (await db.Reservations.AnyAsync(r => r.OrderId == orderId, cancellationToken))
        {
            return ReservationOutcome.Reserved; // Already done: reserving twice claims nothing more.
        }

        var now = clock.GetUtcNow();
        await using var scope = await AtomicScope.BeginAsync(db, cancellationToken);
        try
        {
            // The reservation rows first: their key (order, product) makes a concurrent second reserve of
            // this order wait here, then fail on the key, instead of claiming stock twice.
            db.Reservations.AddRange(lines.Select(l => StockReservation.Create(orderId, l.ProductId, l.Quantity, now)));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueConstraint.IsViolation(exception))
        {
            await scope.UndoAsync(cancellationToken);
            return ReservationOutcome.Reserved;
        }

        foreach (var line in lines)
        {
            if (!await StockLedger.TryReserveAsync(db, line.ProductId, line.Quantity, now, cancellationToken))
            {
                await scope.UndoAsync(cancellationToken);
                return ReservationOutcome.InsufficientStock;
            }
        }

        await scope.CompleteAsync(cancellationToken);
        return ReservationOutcome.Reserved;
    }

    /// <summary>Gives back what the order still holds reserved.</summary>
    public Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Reserved, ReservationState.Released, StockLedger.UnreserveAsync, cancellationToken);

    /// <summary>Takes the order's reserved stock off hand (the order is confirmed).</summary>
    public Task CommitAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Reserved, ReservationState.Committed, StockLedger.TakeAsync, cancellationToken);

    /// <summary>Puts a confirmed order's stock back on hand (the order was cancelled after confirmation).</summary>
    public Task ReturnAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Committed, ReservationState.Returned, StockLedger.PutBackAsync, cancellationToken);

    // Per line: the state move is the guard. Only the transaction whose move succeeded changes the stock,
    // so two concurrent releases of one order release once.
    private async Task MoveAsync(
        Guid orderId, ReservationState from, ReservationState to,
        Func<InventoryDbContext, Guid, int, DateTimeOffset, CancellationToken, Task<int>> adjust, CancellationToken cancellationToken)
    {
        var lines = await db.Reservations.AsNoTracking()
            .Where(r => r.OrderId == orderId && r.State == from)
            .Select(r => new { r.ProductId, r.Quantity })
            .ToListAsync(cancellationToken);
        if (lines.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await using var scope = await AtomicScope.BeginAsync(db, cancellationToken);
        foreach (var line in lines)
        {
            if (await StockLedger.TryMoveAsync(db, orderId, line.ProductId, from, to, now, cancellationToken)
                && await adjust(db, line.ProductId, line.Quantity, now, cancellationToken) != 1)
            {
                // The reservation said the stock was there: the numbers disagree, and nothing may be half-written.
                throw new InvalidOperationException($"Stock of product {line.ProductId} does not match order {orderId}'s reservation.");
            }
        }

        await scope.CompleteAsync(cancellationToken);
    }
}
