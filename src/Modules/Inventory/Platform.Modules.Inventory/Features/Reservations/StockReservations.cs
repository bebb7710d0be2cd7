using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Persistence;

namespace Platform.Modules.Inventory.Features.Reservations;

internal sealed record ReservationLine(Guid ProductId, int Quantity);

internal enum ReservationOutcome
{
    /// <summary>The order's lines hold their stock (now, or already from an earlier identical request).</summary>
    Reserved,

    /// <summary>A line's product has too little available stock, or no stock item: nothing was reserved.</summary>
    InsufficientStock,

    /// <summary>The order reserved before and has since been released, committed or returned, or it was cancelled before it reserved: nothing changed.</summary>
    AlreadySettled,

    /// <summary>The order already holds a reservation with other lines: nothing changed.</summary>
    DifferentLines,
}

/// <summary>
/// The reservation model of an order: reserve all of its lines or none, then release, commit or return
/// them. Every operation is idempotent per order: repeating it changes nothing, so a redelivered event or
/// a retried saga step is harmless, and each says what it found. Each is atomic: its own transaction, or a
/// savepoint of the caller's (an event handler's inbox transaction), whose other work it leaves alone.
/// Lines are always touched in product order, so two orders never lock the same rows in opposite orders.
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

        var ordered = lines.OrderBy(l => l.ProductId).ToList();
        if (await ExistingOutcomeAsync(orderId, ordered, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var reservations = ordered.Select(l => StockReservation.Create(orderId, l.ProductId, l.Quantity, now)).ToList();
        List<object> added = [.. reservations, OrderClaim.Reserved(orderId, now)];
        await using var scope = await AtomicScope.BeginAsync(db, cancellationToken);
        try
        {
            // The order's claim and reservation rows first: their keys make a concurrent second reserve (or a
            // cancellation) of this order wait here, then fail on the key, instead of claiming stock twice.
            db.AddRange(added);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueConstraint.IsViolation(exception) && exception.Entries.All(e => e.Entity is StockReservation or OrderClaim))
        {
            await scope.UndoAsync(added, cancellationToken);
            // Another reserve of this order won the key; report what it left, never a reservation nobody made.
            return await ExistingOutcomeAsync(orderId, ordered, cancellationToken)
                ?? throw new InvalidOperationException($"Order {orderId}'s reservation was taken concurrently but cannot be read yet; try again.");
        }

        foreach (var line in ordered)
        {
            if (!await StockLedger.TryReserveAsync(db, line.ProductId, line.Quantity, now, cancellationToken))
            {
                await scope.UndoAsync(added, cancellationToken);
                return ReservationOutcome.InsufficientStock;
            }
        }

        await scope.CompleteAsync(added, cancellationToken);
        return ReservationOutcome.Reserved;
    }

    /// <summary>Gives back what the order still holds reserved; false when it holds nothing reserved.</summary>
    public Task<bool> ReleaseAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Reserved, ReservationState.Released, StockLedger.UnreserveAsync, cancellationToken);

    /// <summary>Takes the order's reserved stock off hand (the order is confirmed); false when nothing was reserved.</summary>
    public Task<bool> CommitAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Reserved, ReservationState.Committed, StockLedger.TakeAsync, cancellationToken);

    /// <summary>Puts a confirmed order's stock back on hand (cancelled after confirmation); false when nothing was committed.</summary>
    public Task<bool> ReturnAsync(Guid orderId, CancellationToken cancellationToken) =>
        MoveAsync(orderId, ReservationState.Committed, ReservationState.Returned, StockLedger.PutBackAsync, cancellationToken);

    /// <summary>
    /// The order is cancelled: what it holds reserved is released, what it took is returned, and an order
    /// that never reserved is closed, so its reservation, should it still arrive, is refused. False when
    /// nothing moved (settled before, or closed now).
    /// </summary>
    public async Task<bool> CloseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var released = await ReleaseAsync(orderId, cancellationToken);
        var returned = await ReturnAsync(orderId, cancellationToken);
        if (released || returned
            || await db.OrderClaims.AnyAsync(c => c.OrderId == orderId, cancellationToken)
            || await db.Reservations.AnyAsync(r => r.OrderId == orderId, cancellationToken))
        {
            return released || returned;
        }

        // A reservation racing this fails on the claim's key (or this insert does, and its retry releases).
        var closed = OrderClaim.ClosedUnreserved(orderId, clock.GetUtcNow());
        await using var scope = await AtomicScope.BeginAsync(db, cancellationToken);
        db.OrderClaims.Add(closed);
        await db.SaveChangesAsync(cancellationToken);
        await scope.CompleteAsync([closed], cancellationToken);
        return false;
    }

    private async Task<ReservationOutcome?> ExistingOutcomeAsync(Guid orderId, List<ReservationLine> ordered, CancellationToken cancellationToken)
    {
        if (await db.OrderClaims.AnyAsync(c => c.OrderId == orderId && c.State == OrderClaimState.ClosedUnreserved, cancellationToken))
        {
            return ReservationOutcome.AlreadySettled;
        }

        var existing = await db.Reservations.AsNoTracking().Where(r => r.OrderId == orderId).OrderBy(r => r.ProductId).ToListAsync(cancellationToken);
        if (existing.Count == 0)
        {
            return null;
        }

        if (!existing.Select(r => new ReservationLine(r.ProductId, r.Quantity)).SequenceEqual(ordered))
        {
            return ReservationOutcome.DifferentLines;
        }

        return existing.All(r => r.State == ReservationState.Reserved) ? ReservationOutcome.Reserved : ReservationOutcome.AlreadySettled;
    }

    // Per line: the state move is the guard. Only the transaction whose move succeeded changes the stock,
    // so two concurrent releases of one order release once.
    private async Task<bool> MoveAsync(
        Guid orderId, ReservationState from, ReservationState to,
        Func<InventoryDbContext, Guid, int, DateTimeOffset, CancellationToken, Task<int>> adjust, CancellationToken cancellationToken)
    {
        var lines = await db.Reservations.AsNoTracking()
            .Where(r => r.OrderId == orderId && r.State == from)
            .OrderBy(r => r.ProductId)
            .Select(r => new { r.ProductId, r.Quantity })
            .ToListAsync(cancellationToken);
        if (lines.Count == 0)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var moved = false;
        await using var scope = await AtomicScope.BeginAsync(db, cancellationToken);
        foreach (var line in lines)
        {
            if (!await StockLedger.TryMoveAsync(db, orderId, line.ProductId, from, to, now, cancellationToken))
            {
                continue; // moved meanwhile by a concurrent call
            }

            moved = true;
            if (await adjust(db, line.ProductId, line.Quantity, now, cancellationToken) != 1)
            {
                // The reservation said the stock was there: the numbers disagree, and nothing may be half-written.
                throw new InvalidOperationException($"Stock of product {line.ProductId} does not match order {orderId}'s reservation.");
            }
        }

        await scope.CompleteAsync([], cancellationToken);
        return moved;
    }
}
