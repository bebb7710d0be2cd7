using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Messaging;

/// <summary>
/// Makes a subscriber's handler commit durable before the publisher can mark the delivery done.
/// SQLite runs with synchronous=NORMAL (WAL): a commit survives a process crash but an OS crash or
/// power loss can lose the last ones. If the subscriber's commit were lost that way after the
/// publisher's "delivered" survived, the message would be gone for good, so handler commits run with
/// synchronous=FULL (the WAL is synced at commit). SQL Server commits are durable already.
/// </summary>
internal static class DurableCommit
{
    public static async Task BeginAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // The setting belongs to the connection and cannot change inside a transaction: set it before.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", cancellationToken);
        }
    }
}
