using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>
/// One write transaction at a time per SQLite file in this process, in arrival order. SQLite lets one
/// writer in and makes the others poll (its busy handler sleeps and retries), so under a steady stream of
/// short transactions a waiter can lose every round until its 30 s timeout: "database is locked", a 500,
/// a delivery 30 s late. Queuing the writers here hands the lock over in order the moment it is free.
/// Other processes on the same file still meet SQLite's own busy handling; SQL Server needs none of this.
/// </summary>
public sealed class SqliteWriteGate
{
    /// <summary>As long as SQLite itself would have waited (Microsoft.Data.Sqlite's default command timeout).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _files = new(StringComparer.Ordinal);

    /// <summary>Waits for the file's turn; dispose the result once the transaction has committed or rolled back.</summary>
    public async ValueTask<Turn> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not SqliteConnection connection)
        {
            return default;
        }

        var gate = _files.GetOrAdd(Path.GetFullPath(connection.DataSource), static _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(WaitLimit, cancellationToken))
        {
            throw new DatabaseBusyException($"No write turn on {Path.GetFileName(connection.DataSource)} within {WaitLimit.TotalSeconds:0} s.");
        }

        return new Turn(gate);
    }

    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

/// <summary>The database stayed busy longer than a request may wait: the client should retry shortly (503).</summary>
public sealed class DatabaseBusyException(string message) : Exception(message);
