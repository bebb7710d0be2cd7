using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// A module's messaging backlog in readiness: how many rows wait and how old the oldest is.
/// Healthy below <see cref="MessagingOptions.BacklogAgeThreshold"/>, degraded above it (the process
/// still takes traffic: a backlog is a reason to look, not to restart).
/// </summary>
internal sealed class MessagingHealthCheck(IServiceProvider services, Type contextType, MessagingOptions options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        var now = clock.GetUtcNow();
        try
        {
            var outbox = db.Set<OutboxMessage>().Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null);
            var outboxCount = await outbox.LongCountAsync(cancellationToken);
            var oldestSequence = await outbox.MinAsync(m => (long?)m.Sequence, cancellationToken);
            var outboxOldest = oldestSequence is { } sequence
                ? await db.Set<OutboxMessage>().Where(m => m.Sequence == sequence).Select(m => (DateTimeOffset?)m.OccurredAt).FirstOrDefaultAsync(cancellationToken)
                : null;
            var inbox = await db.Set<InboxMessage>().Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
                .OrderBy(m => m.DueAt).Select(m => m.OccurredAt).Take(10_000).ToListAsync(cancellationToken);
            var deadLetters = await db.Set<OutboxMessage>().LongCountAsync(m => m.DeadLetteredAt != null && m.DiscardedAt == null, cancellationToken)
                + await db.Set<InboxMessage>().LongCountAsync(m => m.DeadLetteredAt != null && m.DiscardedAt == null, cancellationToken);

            var outboxAge = outboxOldest is { } o ? now - o : TimeSpan.Zero;
            var inboxAge = inbox.Count > 0 ? now - inbox.Min() : TimeSpan.Zero;
            var oldest = outboxAge > inboxAge ? outboxAge : inboxAge;
            var data = new Dictionary<string, object>
            {
                ["outboxWaiting"] = outboxCount,
                ["outboxOldestSeconds"] = Math.Round(outboxAge.TotalSeconds, 1),
                ["inboxWaiting"] = inbox.Count,
                ["inboxOldestSeconds"] = Math.Round(inboxAge.TotalSeconds, 1),
                ["deadLetters"] = deadLetters,
            };
            var summary = $"{outboxCount} waiting to be delivered, {inbox.Count} waiting for a retry, oldest {oldest.TotalSeconds:0} s; {deadLetters} dead letters.";
            return oldest < options.BacklogAgeThreshold
                ? HealthCheckResult.Healthy(summary, data)
                : HealthCheckResult.Degraded($"{summary} The oldest is past Messaging:BacklogAgeThreshold ({options.BacklogAgeThreshold}).", data: data);
        }
#pragma warning disable CA1031 // A health check reports any failure instead of throwing.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy(
                $"The messaging tables could not be read ({exception.GetType().Name}); if the database is new, run the host with 'migrate'.");
        }
    }
}
