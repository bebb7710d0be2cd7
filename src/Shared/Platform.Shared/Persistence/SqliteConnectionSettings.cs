using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Shared.Persistence;

/// <summary>
/// Per-connection SQLite settings, with WAL (set once per file by the migrator). synchronous=NORMAL (the
/// default) keeps the database consistent and durable across process crashes while sparing an fsync per
/// commit: an OS crash or power loss can take the last commits back, so such a connection is marked
/// as deferring its sync (<see cref="SqliteCommits"/>), and messaging syncs the file before anything
/// relies on those commits. synchronous=FULL makes every commit durable when it returns.
/// </summary>
internal sealed class SqliteConnectionSettings(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = synchronous == SqliteSynchronous.Normal
        ? "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        : "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommits.Opened(connection, deferred: synchronous == SqliteSynchronous.Normal);
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommits.Opened(connection, deferred: synchronous == SqliteSynchronous.Normal);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
