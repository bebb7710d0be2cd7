using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>How durable a SQLite commit is when it returns.</summary>
public static class SqliteCommits
{
    private static readonly ConditionalWeakTable<DbConnection, object> Deferred = [];

    /// <summary>
    /// Opens the context's connection with synchronous=NORMAL: its next commits survive a process crash
    /// but are synced to disk later, by whoever must rely on them (one sync for many commits). Call it
    /// before beginning the transaction: SQLite cannot change the setting inside one. Returns whether it
    /// applied (false on other providers, whose commits are durable anyway).
    /// </summary>
    public static async Task<bool> DeferSyncAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        if (!IsSyncDeferred(db))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
            Deferred.AddOrUpdate(db.Database.GetDbConnection(), Deferred);
        }

        return true;
    }

    /// <summary>Whether the context's commits on its open connection are synced later rather than when they return.</summary>
    public static bool IsSyncDeferred(DbContext db) =>
        db is not null && Deferred.TryGetValue(db.Database.GetDbConnection(), out _);

    /// <summary>A connection (re)opened gets the configured setting again.</summary>
    internal static void Opened(DbConnection connection, bool deferred)
    {
        if (deferred)
        {
            Deferred.AddOrUpdate(connection, Deferred);
        }
        else
        {
            Deferred.Remove(connection);
        }
    }
}
