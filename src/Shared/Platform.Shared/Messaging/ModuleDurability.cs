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
        return db.Database.RunsOnSqlite()
            ? new GroupSync(Path.GetFullPath(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource) + "-wal")
            : null;
    }

    /// <summary>
    /// One sync at a time per file, on a thread of its own (an fsync blocks; on the thread pool it would
    /// starve the workers under load). A caller joins the sync that has not started yet, or gets one
    /// scheduled after the running one: a sync covers every commit that finished before it started.
    /// </summary>
    private sealed class GroupSync
    {
        private readonly object _gate = new();
        private readonly string _walFile;
        private TaskCompletionSource? _next;

        public GroupSync(string walFile)
        {
            _walFile = walFile;
            new Thread(Run) { IsBackground = true, Name = "wal-sync " + Path.GetFileName(walFile) }.Start();
        }

        public Task SyncAsync()
        {
            lock (_gate)
            {
                if (_next is null)
                {
                    _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Monitor.Pulse(_gate);
                }

                return _next.Task;
            }
        }

        private void Run()
        {
            while (true)
            {
                TaskCompletionSource current;
                lock (_gate)
                {
                    // A blocking wait that does not spin: SemaphoreSlim.Wait spun before every sync, which took a
                    // sixth of the CPU of a busy process (docs/decisions/0013).
                    while (_next is null)
                    {
                        Monitor.Wait(_gate);
                    }

                    // From here on, callers get the next sync: this one may start before their commit ended.
                    current = _next;
                    _next = null;
                }

                try
                {
                    Sync();
                    current.SetResult();
                }
#pragma warning disable CA1031 // Handed to every waiting caller.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    current.SetException(exception);
                }
            }
        }

        private void Sync()
        {
            try
            {
                using var file = new FileStream(_walFile, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                file.Flush(flushToDisk: true);
            }
            catch (FileNotFoundException)
            {
                // No WAL: everything was checkpointed into the database file, and that checkpoint synced it.
            }
        }
    }
}
