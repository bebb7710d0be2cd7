using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Shared.Persistence;

/// <summary>
/// Per-connection SQLite settings. With WAL (set once per file by the migrator), synchronous=FULL makes
/// every commit durable when it returns (<see cref="DatabaseOptions.SqliteSynchronous"/>, the default):
/// a command that answered 2xx keeps its effect through a power loss, and events handed over at its
/// commit have a cause that cannot vanish. Work that is made durable in groups afterwards (event
/// handlers) switches its connection to NORMAL first (<see cref="SqliteCommits.DeferSyncAsync"/>).
/// </summary>
internal sealed class SqliteConnectionSettings(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = synchronous == SqliteSynchronous.Normal
        ? "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        : "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommits.Reset(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommits.Reset(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
