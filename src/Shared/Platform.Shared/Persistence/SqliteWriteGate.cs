using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>
/// One writer at a time per SQLite file in this process, in arrival order. SQLite lets one writer in and
/// makes the others poll (its busy handler sleeps and retries), so under a steady stream of short
/// transactions a poller can lose every round until its timeout: "database is locked", a 500, a delivery
/// 30 s late. The writes that must not starve queue here instead, and the lock is handed over in order the
/// moment it is free: commands, event handlers, and the messaging spine's acknowledgements and lease
/// renewals (a lease that lapses while they wait means a redelivery). Claims and housekeeping stay single
/// statements under SQLite's own busy handling: queuing them too cost a fifth of the order throughput at
/// saturation (decision 0010). Other processes on the same file meet SQLite's busy handling; SQL Server
/// needs none of this.
/// </summary>
/// <remarks>
/// Never ask for a turn while holding one for the same file (a command that starts another command of
/// its module in a new scope): it waits for itself until <see cref="WaitLimit"/> and fails.
/// </remarks>
public sealed class SqliteWriteGate
{
    /// <summary>As long as SQLite itself would have waited (Microsoft.Data.Sqlite's default command timeout).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    // Keyed by the connection string the module was configured with, never by the live connection: an
    // open connection reports the file's resolved path, a closed one the configured path, and both must
    // meet at the same gate. Null for anything that is not a file (in-memory) or not SQLite.
    private readonly ConcurrentDictionary<string, SemaphoreSlim?> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _byPath = new(StringComparer.Ordinal);

    /// <summary>Waits for the file's turn; dispose the result once the write (or transaction) has ended.</summary>
    public async ValueTask<IDisposable> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (GateOf(db) is not { } gate)
        {
            return Turn.None;
        }

        if (!await gate.WaitAsync(WaitLimit, cancellationToken))
        {
            throw new DatabaseBusyException($"No write turn on the module's SQLite file within {WaitLimit.TotalSeconds:0} s.");
        }

        return new Turn(gate);
    }

    private SemaphoreSlim? GateOf(DbContext db)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection)
        {
            return null;
        }

        var connectionString = db.Database.GetConnectionString() ?? string.Empty;
        return _files.GetOrAdd(connectionString, static (cs, byPath) =>
        {
            var builder = new SqliteConnectionStringBuilder(cs);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            {
                return null;
            }

            return byPath.GetOrAdd(Path.GetFullPath(builder.DataSource), static _ => new SemaphoreSlim(1, 1));
        }, _byPath);
    }

    /// <summary>A turn is given back once, however often it is disposed.</summary>
    private sealed class Turn(SemaphoreSlim? gate) : IDisposable
    {
        public static readonly Turn None = new(null);

        private int _released;

        public void Dispose()
        {
            if (gate is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>The database stayed busy longer than a request may wait: the client should retry shortly (503).</summary>
public sealed class DatabaseBusyException(string message) : Exception(message);
