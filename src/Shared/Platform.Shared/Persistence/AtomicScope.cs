using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.Shared.Persistence;

/// <summary>
/// All-or-nothing work on a module's context: in a transaction of its own, or, when the caller already has
/// one (a command's unit of work, a handler's inbox transaction), behind a savepoint of it. The caller's own
/// pending changes are not swept into it: it refuses to start while there are any.
/// </summary>
public sealed class AtomicScope : IAsyncDisposable
{
    private const string Savepoint = "platform_atomic";
    private readonly DbContext db;
    private readonly IDbContextTransaction transaction;
    private readonly bool owned;
    private bool finished;

    private AtomicScope(DbContext db, IDbContextTransaction transaction, bool owned)
    {
        this.db = db;
        this.transaction = transaction;
        this.owned = owned;
    }

    public static async Task<AtomicScope> BeginAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.ChangeTracker.HasChanges())
        {
            throw new InvalidOperationException("Save the context's pending changes before an atomic operation: it must not commit or undo them.");
        }

        if (db.Database.CurrentTransaction is { } outer)
        {
            await outer.CreateSavepointAsync(Savepoint, cancellationToken);
            return new AtomicScope(db, outer, owned: false);
        }

        return new AtomicScope(db, await db.Database.BeginTransactionAsync(cancellationToken), owned: true);
    }

    /// <summary>Keeps the work; <paramref name="added"/>, the entities this scope added, leave the change tracker.</summary>
    public Task CompleteAsync(IEnumerable<object> added, CancellationToken cancellationToken) => FinishAsync(keep: true, added, cancellationToken);

    /// <summary>Undoes the work; <paramref name="added"/>, the entities this scope added, leave the change tracker.</summary>
    public Task UndoAsync(IEnumerable<object> added, CancellationToken cancellationToken) => FinishAsync(keep: false, added, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (owned)
        {
            await transaction.DisposeAsync(); // rolls back what was not completed
        }
        else if (!finished && db.Database.CurrentTransaction is not null)
        {
            try
            {
                await transaction.RollbackToSavepointAsync(Savepoint);
            }
#pragma warning disable CA1031 // The server may have ended the transaction already (a deadlock victim): the original error is the one to see.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async Task FinishAsync(bool keep, IEnumerable<object> added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        finished = true;
        var ending = (owned, keep) switch
        {
            (true, true) => transaction.CommitAsync(cancellationToken),
            (true, false) => transaction.RollbackAsync(cancellationToken),
            (false, true) => transaction.ReleaseSavepointAsync(Savepoint, cancellationToken),
            (false, false) => transaction.RollbackToSavepointAsync(Savepoint, cancellationToken),
        };
        await ending;

        // Only what this scope added leaves the change tracker: the caller's entries (outbox rows, say) stay.
        foreach (var entity in added)
        {
            db.Entry(entity).State = EntityState.Detached;
        }
    }
}
