using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Messaging;

/// <summary>
/// Claims due rows of a module's outbox or inbox in one atomic statement and leases them to this
/// instance, so several instances never work on the same row at once: SQL Server skips rows another
/// instance has locked (UPDLOCK, READPAST); SQLite has a single writer, so its UPDATE is atomic.
/// A lease that runs out (the instance died) makes the rows claimable again.
/// </summary>
internal static class MessageStore
{
    public static async Task<List<OutboxMessage>> ClaimOutboxAsync(DbContext db, long nowMs, long leaseUntilMs, int batchSize, CancellationToken cancellationToken)
    {
        var rows = await db.Set<OutboxMessage>()
            .FromSqlRaw(ClaimSql(db, typeof(OutboxMessage), orderBy: "Sequence"), leaseUntilMs, nowMs, batchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.OrderBy(m => m.Sequence).ToList();
    }

    public static async Task<List<InboxMessage>> ClaimInboxAsync(DbContext db, long nowMs, long leaseUntilMs, int batchSize, CancellationToken cancellationToken)
    {
        var rows = await db.Set<InboxMessage>()
            .FromSqlRaw(ClaimSql(db, typeof(InboxMessage), orderBy: "DueAt"), leaseUntilMs, nowMs, batchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.OrderBy(m => m.DueAt).ToList();
    }

    private static string ClaimSql(DbContext db, Type entity, string orderBy)
    {
        var entityType = db.Model.FindEntityType(entity)!;
        var table = entityType.GetTableName()!;
        const string due = "ProcessedAt IS NULL AND DeadLetteredAt IS NULL AND DueAt <= {1} AND (LockedUntil IS NULL OR LockedUntil <= {1})";

        if (db.Database.IsSqlServer())
        {
            var qualified = $"[{entityType.GetSchema()}].[{table}]";
            return $"""
                WITH batch AS (
                    SELECT TOP ({"{2}"}) * FROM {qualified} WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE {due}
                    ORDER BY {orderBy})
                UPDATE batch SET LockedUntil = {"{0}"}
                OUTPUT inserted.*
                """;
        }

        // SQLite: rowid follows insertion order, which breaks ties between rows due at the same time.
        return $"""
            UPDATE "{table}" SET LockedUntil = {"{0}"}
            WHERE rowid IN (SELECT rowid FROM "{table}" WHERE {due} ORDER BY {orderBy}, rowid LIMIT {"{2}"})
            RETURNING *
            """;
    }
}
