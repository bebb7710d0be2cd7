using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Messaging;

/// <summary>A message parked after its last attempt: on the publishing side (deliver, to one destination) or a handler's (handle).</summary>
public sealed record DeadLetterDto(
    Guid MessageId, string Stage, string Type, string? Destination, string? Handler, string SourceModule,
    DateTimeOffset OccurredAt, int Attempts, string? LastError, DateTimeOffset? DeadLetteredAt,
    DateTimeOffset? DiscardedAt, string? DiscardReason);

/// <summary>A message still waiting: not yet delivered (outbox) or failed and waiting for its retry (inbox).</summary>
public sealed record PendingMessageDto(
    Guid MessageId, string Stage, string Type, string? Destination, string? Handler, DateTimeOffset OccurredAt,
    int Attempts, DateTimeOffset DueAt, DateTimeOffset? LockedUntil, string? LastError);

/// <summary>What a replay did: revived rows, and rows it refused with why.</summary>
public sealed record ReplayResult(int Replayed, int Refused, IReadOnlyList<string> Reasons);

/// <summary>
/// What an administrator can do with a module's stored messages: see what waits and what was parked,
/// send a dead letter round again, or give up on it with a reason that is kept.
/// </summary>
internal sealed class MessagingOperations(MessagingOptions options, OutboxRuntime runtime, TimeProvider clock)
{
    public const int MaxListed = 500;

    public static async Task<List<DeadLetterDto>> ListDeadLettersAsync(DbContext db, bool includeDiscarded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var outbox = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.DeadLetteredAt != null && (includeDiscarded || m.DiscardedAt == null))
            .OrderByDescending(m => m.Sequence).Take(MaxListed)
            .Select(m => new DeadLetterDto(m.MessageId, "deliver", m.Type, m.Destination, null, m.SourceModule, m.OccurredAt, m.Attempts, m.LastError, m.DeadLetteredAt, m.DiscardedAt, m.DiscardReason))
            .ToListAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().AsNoTracking()
            .Where(m => m.DeadLetteredAt != null && (includeDiscarded || m.DiscardedAt == null))
            .OrderByDescending(m => m.DueAt).Take(MaxListed)
            .Select(m => new DeadLetterDto(m.MessageId, "handle", m.Type, null, m.Handler, m.SourceModule, m.OccurredAt, m.Attempts, m.LastError, m.DeadLetteredAt, m.DiscardedAt, m.DiscardReason))
            .ToListAsync(cancellationToken);
        return outbox.Concat(inbox).OrderByDescending(d => d.DeadLetteredAt).Take(MaxListed).ToList();
    }

    public static async Task<List<PendingMessageDto>> ListPendingAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var outbox = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
            .OrderBy(m => m.Sequence).Take(MaxListed)
            .Select(m => new { m.MessageId, m.Type, m.Destination, m.OccurredAt, m.Attempts, m.DueAt, m.LockedUntil, m.LastError })
            .ToListAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().AsNoTracking()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
            .OrderBy(m => m.DueAt).Take(MaxListed)
            .Select(m => new { m.MessageId, m.Type, m.Handler, m.OccurredAt, m.Attempts, m.DueAt, m.LockedUntil, m.LastError })
            .ToListAsync(cancellationToken);
        return outbox.Select(m => new PendingMessageDto(m.MessageId, "deliver", m.Type, m.Destination, null, m.OccurredAt, m.Attempts, Time(m.DueAt), OptionalTime(m.LockedUntil), m.LastError))
            .Concat(inbox.Select(m => new PendingMessageDto(m.MessageId, "handle", m.Type, null, m.Handler, m.OccurredAt, m.Attempts, Time(m.DueAt), OptionalTime(m.LockedUntil), m.LastError)))
            .ToList();
    }

    /// <summary>
    /// Gives dead letters (one message's, or all) a fresh set of attempts, due now, each to the one
    /// destination or handler that failed. The de-duplication record of a subscriber lives for
    /// <see cref="MessagingOptions.RetainProcessedFor"/>, so an undelivered outbox dead letter older
    /// than that is refused: replaying it could run a handler a second time. A handler's own dead
    /// letter is its de-duplication record, so it can always be replayed.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(DbContext db, string module, Guid? messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = clock.GetUtcNow();
        var due = now.ToUnixTimeMilliseconds();
        var reasons = new List<string>();
        var outbox = await db.Set<OutboxMessage>()
            .Where(m => m.DeadLetteredAt != null && m.DiscardedAt == null && (messageId == null || m.MessageId == messageId))
            .Select(m => new { m.Sequence, m.MessageId, m.Destination, m.OccurredAt })
            .ToListAsync(cancellationToken);
        var tooOld = outbox.Where(m => now - m.OccurredAt >= options.RetainProcessedFor).ToList();
        reasons.AddRange(tooOld.Select(m =>
            $"{m.MessageId} to {m.Destination} is older than Messaging:RetainProcessedFor ({options.RetainProcessedFor}); the subscriber may no longer know it handled it, so a replay could run it twice. Discard it instead."));
        var sequences = outbox.Except(tooOld).Select(m => m.Sequence).ToList();
        var replayed = await db.Set<OutboxMessage>()
            .Where(m => sequences.Contains(m.Sequence) && m.DeadLetteredAt != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.DeadLetteredAt, (DateTimeOffset?)null)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.DueAt, due)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);

        replayed += await db.Set<InboxMessage>()
            .Where(m => m.DeadLetteredAt != null && m.DiscardedAt == null && (messageId == null || m.MessageId == messageId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.DeadLetteredAt, (DateTimeOffset?)null)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.DueAt, due)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);

        runtime.RelayOf(module)?.Wake();
        runtime.ConsumerOf(module)?.RetryAt(now);
        return new ReplayResult(replayed, tooOld.Count, reasons);
    }

    /// <summary>Gives up on a message's dead letters in this module; they stay listed (with the reason) but are never replayed.</summary>
    public async Task<int> DiscardAsync(DbContext db, Guid messageId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = clock.GetUtcNow();
        return await db.Set<OutboxMessage>()
                .Where(m => m.MessageId == messageId && m.DeadLetteredAt != null && m.DiscardedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DiscardedAt, now).SetProperty(m => m.DiscardReason, reason), cancellationToken)
            + await db.Set<InboxMessage>()
                .Where(m => m.MessageId == messageId && m.DeadLetteredAt != null && m.DiscardedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DiscardedAt, now).SetProperty(m => m.DiscardReason, reason), cancellationToken);
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static DateTimeOffset? OptionalTime(long? unixMs) => unixMs is { } ms ? Time(ms) : null;
}
