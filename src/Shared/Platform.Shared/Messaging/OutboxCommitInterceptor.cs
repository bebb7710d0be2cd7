using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Shared.Messaging;

/// <summary>
/// Follows one module's units of work for <see cref="OutboxRuntime"/>: claims new outbox rows for
/// in-memory hand-over as they are written, hands them over once the transaction commits, forgets
/// them on rollback (to a savepoint: those saved after it) or failure (or when a transaction starts or is joined, so nothing left on a pooled
/// context leaks into its next use), and refuses a commit that would lose an event published but never saved.
/// </summary>
internal sealed class OutboxCommitInterceptor(string moduleName, OutboxRuntime runtime) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => SaveFailed(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveFailed(eventData.Context);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        EnsureNothingUnsaved(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        EnsureNothingUnsaved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void CreatedSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnContext(eventData.Context, runtime.SavepointCreated);

    public Task CreatedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        OnContext(eventData.Context, runtime.SavepointCreated);
        return Task.CompletedTask;
    }

    public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnContext(eventData.Context, runtime.RolledBackToSavepoint);

    public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        OnContext(eventData.Context, runtime.RolledBackToSavepoint);
        return Task.CompletedTask;
    }

    public void ReleasedSavepoint(DbTransaction transaction, TransactionEventData eventData) => OnContext(eventData.Context, runtime.SavepointReleased);

    public Task ReleasedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        OnContext(eventData.Context, runtime.SavepointReleased);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void OnContext(DbContext? context, Action<DbContext> action)
    {
        if (context is not null)
        {
            action(context);
        }
    }

    private void Saving(DbContext? context)
    {
        if (context is not null)
        {
            runtime.Saving(moduleName, context);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null)
        {
            runtime.Saved(moduleName, context);
        }
    }

    private void SaveFailed(DbContext? context)
    {
        if (context is not null)
        {
            runtime.SaveFailed(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null)
        {
            runtime.Committed(moduleName, context);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            runtime.Forget(context);
        }
    }

    private static void EnsureNothingUnsaved(DbContext? context)
    {
        if (context is not null)
        {
            OutboxRuntime.EnsureNothingUnsaved(context);
        }
    }
}
