using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Platform.Shared.Persistence;

/// <summary>
/// How durable a SQLite commit is when it returns, tracked per native connection: pooled connections
/// keep their settings between uses, so a setting is sent only when it has to change.
/// </summary>
public static class SqliteCommits
{
    private static readonly ConditionalWeakTable<sqlite3, Settings> Applied = [];

    /// <summary>
    /// Opens the context's connection with synchronous=NORMAL: its next commits survive a process crash
    /// but are synced to disk later, by whoever must rely on them (one sync for many commits). Call it
    /// before beginning the transaction: SQLite cannot change the setting inside one. Returns whether it
    /// applied (false on other providers, whose commits are durable anyway).
    /// </summary>
    public static async Task<bool> DeferSyncAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.RunsOnSqlite())
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await ApplyAsync(connection, SqliteSynchronous.Normal, cancellationToken);
        return true;
    }

    /// <summary>Whether the context's commits on its open connection are synced later rather than when they return.</summary>
    public static bool IsSyncDeferred(DbContext db) =>
        db?.Database.GetDbConnection() is SqliteConnection { Handle: { } handle }
        && Applied.TryGetValue(handle, out var settings)
        && settings.Synchronous == SqliteSynchronous.Normal;

    /// <summary>Brings an open connection to <paramref name="synchronous"/>, sending only what differs from what it already has.</summary>
    internal static async ValueTask ApplyAsync(SqliteConnection connection, SqliteSynchronous synchronous, CancellationToken cancellationToken)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var settings = Applied.GetValue(handle, static _ => new Settings());
        var sql = settings.Synchronous switch
        {
            null => $"PRAGMA busy_timeout=5000; PRAGMA synchronous={Pragma(synchronous)};",
            var current when current != synchronous => $"PRAGMA synchronous={Pragma(synchronous)};",
            _ => null,
        };
        if (sql is null)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
        settings.Synchronous = synchronous;
    }

    private static string Pragma(SqliteSynchronous synchronous) => synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL";

    private sealed class Settings
    {
        public SqliteSynchronous? Synchronous { get; set; }
    }
}
