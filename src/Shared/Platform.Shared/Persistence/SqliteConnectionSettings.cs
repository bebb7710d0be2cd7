using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Shared.Persistence;

/// <summary>
/// Per-connection SQLite settings, with WAL (set once per file by the migrator). synchronous=NORMAL (the
/// default) keeps the database consistent and durable across process crashes while sparing an fsync per
/// commit: an OS crash or power loss can take the last commits back, so messaging syncs the file before
/// anything relies on those commits (<see cref="SqliteCommits"/>). synchronous=FULL makes every commit
/// durable when it returns. Settings are sent once per pooled native connection, not at every open.
/// </summary>
internal sealed class SqliteConnectionSettings(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        SqliteCommits.ApplyAsync((SqliteConnection)connection, synchronous, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        SqliteCommits.ApplyAsync((SqliteConnection)connection, synchronous, cancellationToken).AsTask();
}
