using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.Modules.Inventory.Persistence;

/// <summary>
/// All-or-nothing work on the context: in a transaction of its own, or, when the caller already has one
/// (a command's unit of work, a handler's inbox transaction), behind a savepoint of it.
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
        if (db.Database.CurrentTransaction is { } outer)
        {
            await outer.CreateSavepointAsync(Savepoint, cancellationToken);
            return new AtomicScope(db, outer, owned: false);
        }

        return new AtomicScope(db, await db.Database.BeginTransactionAsync(cancellationToken), owned: true);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
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

        db.ChangeTracker.Clear();
    }

    public async Task UndoAsync(CancellationToken cancellationToken)
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

        db.ChangeTracker.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (owned)
        {
            await transaction.DisposeAsync(); // rolls back what was not completed
        }
        else if (!finished)
        {
            await transaction.RollbackToSavepointAsync(Savepoint);
        }
    }
}
