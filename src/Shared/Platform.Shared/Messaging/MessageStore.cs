using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// The statements that move outbox and inbox rows through their life. Claims take due rows in one
/// atomic statement, count the attempt and stamp a fresh claim token: SQL Server skips rows another
/// instance has locked (UPDLOCK, READPAST); SQLite has a single writer, so its UPDATE is atomic.
/// Every later change of a claimed row (complete, fail, release) names the token and changes nothing
/// when another claim has taken the row over since: that is the fence.
/// </summary>
internal static class MessageStore
{
    public const string ExhaustedError = "Every attempt was started but none finished: the process stopped or crashed while working on it.";

    private static readonly ConcurrentDictionary<(Type Context, string Statement), string> Sql = new();

    /// <summary>
    /// Claims up to <paramref name="limit"/> due rows for <paramref name="destination"/>, of the
    /// <paramref name="types"/> that destination handles in this version (rows of other types are left
    /// to a process that knows them, as during a rolling deployment).
    /// </summary>
    public static async Task<List<OutboxMessage>> ClaimOutboxAsync(
        DbContext db, string destination, IReadOnlyCollection<string> types, long nowMs, long leaseUntilMs, Guid token, int maxAttempts, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.Set<OutboxMessage>()
            .FromSqlRaw(Statement(db, "claim-outbox", ClaimOutboxSql), leaseUntilMs, token, nowMs, maxAttempts, destination, limit, System.Text.Json.JsonSerializer.Serialize(types))
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.OrderBy(m => m.Sequence).ToList();
    }

    public static async Task<List<InboxMessage>> ClaimInboxAsync(
        DbContext db, long nowMs, long leaseUntilMs, Guid token, int maxAttempts, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.Set<InboxMessage>()
            .FromSqlRaw(Statement(db, "claim-inbox", ClaimInboxSql), leaseUntilMs, token, nowMs, maxAttempts, limit)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.OrderBy(m => m.DueAt).ToList();
    }

    /// <summary>Marks delivered rows done; only those still held under <paramref name="token"/> change.</summary>
    public static Task<int> CompleteOutboxAsync(DbContext db, Guid token, IReadOnlyCollection<long> sequences, DateTimeOffset processedAt, CancellationToken cancellationToken)
    {
        var at = processedAt.ToUnixTimeMilliseconds();
        return HeldOutbox(db, token, sequences)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ProcessedAt, processedAt)
                .SetProperty(m => m.DueAt, at)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);
    }

    /// <summary>Extends the lease of rows still held under <paramref name="token"/>: they are queued or being handled here.</summary>
    public static Task<int> RenewOutboxAsync(DbContext db, Guid token, IReadOnlyCollection<long> sequences, long leaseUntilMs, CancellationToken cancellationToken) =>
        HeldOutbox(db, token, sequences).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseUntilMs), cancellationToken);

    public static Task<int> RenewInboxAsync(DbContext db, Guid messageId, string handler, Guid token, long leaseUntilMs, CancellationToken cancellationToken) =>
        HeldInbox(db, messageId, handler, token).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseUntilMs), cancellationToken);

    /// <summary>Gives claimed rows back without an attempt spent (shutdown, no room): they are due again at once.</summary>
    public static Task<int> ReleaseOutboxAsync(DbContext db, Guid token, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken) =>
        HeldOutbox(db, token, sequences)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.ClaimToken, (Guid?)null)
                .SetProperty(m => m.Attempts, m => m.Attempts > 0 ? m.Attempts - 1 : 0), cancellationToken);

    public static Task<int> FailOutboxAsync(DbContext db, long sequence, Guid token, FailureOutcome outcome, CancellationToken cancellationToken) =>
        Fail(HeldOutbox(db, token, [sequence]), outcome, cancellationToken);

    /// <summary>Inside the handler's transaction: marks a retried row processed if this claim still holds it, and locks it.</summary>
    public static Task<int> CompleteInboxAsync(DbContext db, Guid messageId, string handler, Guid token, DateTimeOffset processedAt, CancellationToken cancellationToken)
    {
        var at = processedAt.ToUnixTimeMilliseconds();
        return HeldInbox(db, messageId, handler, token).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ProcessedAt, processedAt)
            .SetProperty(m => m.DueAt, at)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.LockedUntil, (long?)null)
            .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);
    }

    public static Task<int> FailInboxAsync(DbContext db, Guid messageId, string handler, Guid token, FailureOutcome outcome, CancellationToken cancellationToken) =>
        Fail(HeldInbox(db, messageId, handler, token), outcome, cancellationToken);

    public static Task<int> ReleaseInboxAsync(DbContext db, Guid messageId, string handler, Guid token, CancellationToken cancellationToken) =>
        HeldInbox(db, messageId, handler, token).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LockedUntil, (long?)null)
            .SetProperty(m => m.ClaimToken, (Guid?)null)
            .SetProperty(m => m.Attempts, m => m.Attempts > 0 ? m.Attempts - 1 : 0), cancellationToken);

    /// <summary>
    /// Inserts the inbox row of a first delivery inside the handler's transaction, before the handler
    /// runs. A key violation here, and only here, means the message was delivered before; the insert
    /// also holds the key, so a concurrent second delivery waits instead of running the handler too.
    /// </summary>
    public static Task<int> InsertProcessedInboxAsync(DbContext db, MessageEnvelope envelope, string handler, int attempt, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            Statement(db, "insert-inbox", InsertInboxSql),
            [
                envelope.MessageId, handler, envelope.Type, envelope.Payload, envelope.SourceModule, envelope.OccurredAt,
                envelope.TraceParent!, envelope.TraceState!, // EF sends a null as NULL
                attempt, now.ToUnixTimeMilliseconds(), now, now,
            ],
            cancellationToken);

    /// <summary>
    /// Parks rows whose every attempt was started but none finished, such as a message that crashes
    /// the process: their count was taken at each claim, and the claims ran out without a result.
    /// </summary>
    public static Task<int> ParkExhaustedAsync<T>(DbContext db, long nowMs, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
        where T : StoredMessage =>
        db.Set<T>()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts >= maxAttempts && (m.LockedUntil == null || m.LockedUntil <= nowMs))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.DeadLetteredAt, now)
                .SetProperty(m => m.LastError, ExhaustedError)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);

    /// <summary>
    /// When the earliest claimable row can next be claimed: its due time, or the end of another
    /// holder's lease, whichever is later. Rows with no attempt left are not claimable: housekeeping parks them.
    /// </summary>
    public static async Task<long?> NextDueAsync<T>(IQueryable<T> waiting, int maxAttempts, CancellationToken cancellationToken)
        where T : StoredMessage =>
        await waiting
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts < maxAttempts)
            .Select(m => m.LockedUntil != null && m.LockedUntil > m.DueAt ? m.LockedUntil : (long?)m.DueAt)
            .MinAsync(cancellationToken);

    /// <summary>
    /// Deletes rows processed before <paramref name="cutoff"/> (a processed row's DueAt is when it was
    /// processed), a thousand at a time, so no statement holds the write lock for long.
    /// </summary>
    public static async Task<int> DeleteProcessedAsync<T>(DbSet<T> rows, DateTimeOffset cutoff, CancellationToken cancellationToken)
        where T : StoredMessage
    {
        const int Batch = 1000;
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        var total = 0;
        int deleted;
        do
        {
            // Oldest first: a batch is a defined set of rows, and EF Core has nothing to warn about.
            deleted = await rows.Where(m => m.ProcessedAt != null && m.DueAt < cutoffMs).OrderBy(m => m.DueAt).Take(Batch).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == Batch && !cancellationToken.IsCancellationRequested);
        return total;
    }

    /// <summary>The store's name in logs and metrics: <c>outbox</c> or <c>inbox</c>.</summary>
    public static string NameOf<T>()
        where T : StoredMessage =>
        typeof(T) == typeof(OutboxMessage) ? "outbox" : "inbox";

    internal static string Statement(DbContext db, string name, Func<DbContext, string> build) =>
        Sql.GetOrAdd((db.GetType(), name), _ => build(db));

    /// <summary>The outbox rows still held under <paramref name="token"/> and not yet done: every write after a claim goes through this fence.</summary>
    internal static IQueryable<OutboxMessage> HeldOutbox(DbContext db, Guid token, IReadOnlyCollection<long> sequences) =>
        db.Set<OutboxMessage>().Where(m => m.ClaimToken == token && sequences.Contains(m.Sequence) && m.ProcessedAt == null);

    /// <summary>The inbox row still held under <paramref name="token"/> and still waiting: the fence of a retry.</summary>
    internal static IQueryable<InboxMessage> HeldInbox(DbContext db, Guid messageId, string handler, Guid token) =>
        db.Set<InboxMessage>().Where(m => m.MessageId == messageId && m.Handler == handler && m.ClaimToken == token
            && m.ProcessedAt == null && m.DeadLetteredAt == null);

    private static Task<int> Fail<T>(IQueryable<T> row, FailureOutcome outcome, CancellationToken cancellationToken)
        where T : StoredMessage =>
        row.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LastError, outcome.Error)
            .SetProperty(m => m.DueAt, outcome.DueAt)
            .SetProperty(m => m.DeadLetteredAt, outcome.DeadLetteredAt)
            .SetProperty(m => m.LockedUntil, (long?)null)
            .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);

    // {0} lease end, {1} token, {2} now, {3} max attempts, {4} destination, {5} limit, {6} types as a JSON array
    internal static string ClaimOutboxSql(DbContext db) => ClaimSql(
        db, typeof(OutboxMessage), "Sequence",
        db.Database.RunsOnSqlServer()
            ? """ AND "Destination" = {4} AND "Type" IN (SELECT "value" FROM OPENJSON({6}))"""
            : """ AND "Destination" = {4} AND "Type" IN (SELECT "value" FROM json_each({6}))""",
        limit: 5);

    // {0} lease end, {1} token, {2} now, {3} max attempts, {4} limit
    internal static string ClaimInboxSql(DbContext db) => ClaimSql(db, typeof(InboxMessage), "DueAt", string.Empty, limit: 4);

    private static string ClaimSql(DbContext db, Type entity, string orderBy, string filter, int limit)
    {
        const string due = """
            "ProcessedAt" IS NULL AND "DeadLetteredAt" IS NULL AND "DueAt" <= {2}
            AND ("LockedUntil" IS NULL OR "LockedUntil" <= {2}) AND "Attempts" < {3}
            """;
        const string set = """SET "LockedUntil" = {0}, "ClaimToken" = {1}, "Attempts" = "Attempts" + 1""";
        var where = (due + filter).ReplaceLineEndings(" ");
        var table = Table(db, entity);
        if (db.Database.RunsOnSqlServer())
        {
            return Brackets($$"""
                WITH batch AS (
                    SELECT TOP ({{{limit}}}) * FROM {{table}} WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE {{where}}
                    ORDER BY "{{orderBy}}")
                UPDATE batch {{set}}
                OUTPUT inserted.*
                """);
        }

        // SQLite: rowid follows insertion order, which breaks ties between rows due at the same time.
        return $$"""
            UPDATE {{table}} {{set}}
            WHERE rowid IN (SELECT rowid FROM {{table}} WHERE {{where}} ORDER BY "{{orderBy}}", rowid LIMIT {{{limit}}})
            RETURNING *
            """;
    }

    internal static string InsertInboxSql(DbContext db)
    {
        const string columns = """
            "MessageId", "Handler", "Type", "Payload", "SourceModule", "OccurredAt", "TraceParent", "TraceState",
            "Attempts", "DueAt", "ProcessedAt", "ReceivedAt"
            """;
        var values = string.Join(", ", Enumerable.Range(0, 12).Select(i => "{" + i + "}"));
        var sql = $"INSERT INTO {Table(db, typeof(InboxMessage))} ({columns.ReplaceLineEndings(" ")}) VALUES ({values})";
        return db.Database.RunsOnSqlServer() ? Brackets(sql) : sql;
    }

    private static string Table(DbContext db, Type entity)
    {
        var entityType = db.Model.FindEntityType(entity)!;
        return db.Database.RunsOnSqlServer()
            ? $"[{entityType.GetSchema()}].[{entityType.GetTableName()}]"
            : $"\"{entityType.GetTableName()}\"";
    }

    /// <summary>SQL Server quotes with brackets; the statements are written with standard double quotes.</summary>
    private static string Brackets(string sql) => System.Text.RegularExpressions.Regex.Replace(sql, "\"([A-Za-z]+)\"", "[$1]");
}
