using System.Linq.Expressions;
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

    /// <summary>The store's name in logs and metrics: <c>outbox</c> or <c>inbox</c>.</summary>
    public static string NameOf<T>()
        where T : StoredMessage =>
        typeof(T) == typeof(OutboxMessage) ? "outbox" : "inbox";

    /// <summary>Rows still waiting: neither processed nor parked.</summary>
    public static Task<long> CountBacklogAsync<T>(DbSet<T> rows, CancellationToken cancellationToken)
        where T : StoredMessage =>
        rows.LongCountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null, cancellationToken);

    /// <summary>Deletes processed rows due before <paramref name="cutoff"/>; inbox rows are the de-duplication record until then.</summary>
    public static Task<int> DeleteProcessedAsync<T>(DbSet<T> rows, DateTimeOffset cutoff, CancellationToken cancellationToken)
        where T : StoredMessage
    {
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        return rows.Where(m => m.ProcessedAt != null && m.DueAt < cutoffMs).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Marks rows done and releases their claim.</summary>
    public static Task<int> MarkProcessedAsync<T>(DbSet<T> rows, Expression<Func<T, bool>> which, DateTimeOffset processedAt, CancellationToken cancellationToken)
        where T : StoredMessage =>
        rows.Where(which).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.ProcessedAt, processedAt).SetProperty(m => m.LockedUntil, (long?)null), cancellationToken);

    /// <summary>Records a failed attempt: when to try again, or that the row is now a dead letter.</summary>
    public static Task<int> MarkFailedAsync<T>(DbSet<T> rows, Expression<Func<T, bool>> which, FailureOutcome outcome, CancellationToken cancellationToken)
        where T : StoredMessage =>
        rows.Where(which).ExecuteUpdateAsync(
            s => s
                .SetProperty(m => m.Attempts, outcome.Attempts)
                .SetProperty(m => m.LastError, outcome.Error)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.DueAt, outcome.DueAt)
                .SetProperty(m => m.DeadLetteredAt, outcome.DeadLetteredAt),
            cancellationToken);

    /// <summary>Gives dead letters (one message's, or all) a fresh set of attempts, due now.</summary>
    public static Task<int> ReviveAsync<T>(DbSet<T> rows, Guid? messageId, DateTimeOffset now, CancellationToken cancellationToken)
        where T : StoredMessage
    {
        var due = now.ToUnixTimeMilliseconds();
        return rows
            .Where(m => m.DeadLetteredAt != null && (messageId == null || m.MessageId == messageId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeadLetteredAt, (DateTimeOffset?)null).SetProperty(m => m.Attempts, 0).SetProperty(m => m.DueAt, due), cancellationToken);
    }

    internal static string ClaimSql(DbContext db, Type entity, string orderBy)
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
