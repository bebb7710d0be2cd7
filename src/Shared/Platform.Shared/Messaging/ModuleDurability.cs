using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Makes everything a module has committed so far durable. On SQLite, handler transactions commit with
/// synchronous=NORMAL, which survives a process crash but not an OS crash or power loss. Two things
/// wait for this call: a publisher recording a delivery as done (so "delivered" never outlives the
/// effect), and the hand-over of events a handler published (so no module acts on a cause that a power
/// loss could still take back). Concurrent callers share one sync: group commit.
/// </summary>
internal interface IModuleDurability
{
    Task MakeDurableAsync(string module, CancellationToken cancellationToken);
}

/// <summary>
/// Syncs the module's SQLite write-ahead log (<c>&lt;file&gt;-wal</c>) to disk. Every committed
/// transaction has been written to it by then; frames a checkpoint already moved into the database
/// file were synced by that checkpoint (WAL before, database after), and a WAL that no longer exists
/// was checkpointed completely when its last connection closed. SQL Server needs nothing.
/// </summary>
internal sealed class WalSyncDurability(IServiceScopeFactory scopes, ModuleRegistry modules) : IModuleDurability
{
    private readonly ConcurrentDictionary<string, GroupSync?> _modules = new(StringComparer.OrdinalIgnoreCase);

    public Task MakeDurableAsync(string module, CancellationToken cancellationToken) =>
        _modules.GetOrAdd(module, Create)?.SyncAsync() ?? Task.CompletedTask;

    private GroupSync? Create(string module)
    {
        var contextType = modules.Find(module)?.Database?.ContextType;
        if (contextType is null)
        {
            return null;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        return db.Database.IsSqlite()
            ? new GroupSync(Path.GetFullPath(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource) + "-wal")
            : null;
    }

    /// <summary>
    /// One sync at a time per file. A caller joins the sync that has not started yet, or schedules one
    /// to start after the running one: a sync covers every commit that finished before it started.
    /// </summary>
    private sealed class GroupSync(string walFile)
    {
        private readonly object _gate = new();
        private Task _running = Task.CompletedTask;
        private TaskCompletionSource? _next;

        public Task SyncAsync()
        {
            TaskCompletionSource next;
            Task previous;
            lock (_gate)
            {
                if (_next is not null)
                {
                    return _next.Task;
                }

                _next = next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                previous = _running;
            }

            _ = RunAsync(next, previous);
            return next.Task;
        }

        private async Task RunAsync(TaskCompletionSource next, Task previous)
        {
            await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            lock (_gate)
            {
                _next = null;
                _running = next.Task;
            }

            try
            {
                await Task.Run(Sync);
                next.SetResult();
            }
#pragma warning disable CA1031 // Handed to every waiting caller.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                next.SetException(exception);
            }
        }

        private void Sync()
        {
            try
            {
                using var file = new FileStream(walFile, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                file.Flush(flushToDisk: true);
            }
            catch (FileNotFoundException)
            {
                // No WAL: everything was checkpointed into the database file, and that checkpoint synced it.
            }
        }
    }
}
