using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.Modules.Inventory.Persistence;

/// <summary>
/// All-or-nothing work on the context: in a transaction of its own, or, when the caller already has one
/// (a command's unit of work, a handler's inbox transaction), behind a savepoint of it. The caller's own
/// pending changes are not swept into it: it refuses to start while there are any.
/// </summary>
internal sealed class AtomicScope : IAsyncDisposable
{
    private const string Savepoint = "inventory_atomic";
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
        if (db.ChangeTracker.HasChanges())
        {
            throw new InvalidOperationException("Save the context's pending changes before an inventory operation: it must not commit or undo them.");
        }

        if (db.Database.CurrentTransaction is { } outer)
        {
            await outer.CreateSavepointAsync(Savepoint, cancellationToken);
            return new AtomicScope(db, outer, owned: false);
        }

        return new AtomicScope(db, await db.Database.BeginTransactionAsync(cancellationToken), owned: true);
    }

    public async Task CompleteAsync(IEnumerable<object> added, CancellationToken cancellationToken)
    {
        finished = true;
        if (owned)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
        }

        Detach(added);
    }

    public async Task UndoAsync(IEnumerable<object> added, CancellationToken cancellationToken)
    {
        finished = true;
        if (owned)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackToSavepointAsync(Savepoint, cancellationToken);
        }

        Detach(added);
    }

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

    // Only what this scope added leaves the change tracker: the caller's entries (outbox rows, say) stay.
    private void Detach(IEnumerable<object> added)
    {
        foreach (var entity in added)
        {
            db.Entry(entity).State = EntityState.Detached;
        }
    }
}
