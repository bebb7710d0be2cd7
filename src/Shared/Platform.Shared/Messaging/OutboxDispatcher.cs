using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>The outcome of one pass over a store: how many rows were claimed, and when a retry falls due.</summary>
internal readonly record struct BatchResult(int Claimed, DateTimeOffset? NextRetryAt);

/// <summary>Hands a module's committed outbox rows to the transport, oldest first.</summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    ModuleRegistry modules,
    IMessageTransport transport,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    public async Task<BatchResult> DispatchBatchAsync(string module, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(modules.Find(module)!.Database!.ContextType);
        var now = clock.GetUtcNow();
        var rows = await MessageStore.ClaimOutboxAsync(
            db, now.ToUnixTimeMilliseconds(), (now + options.LeaseDuration).ToUnixTimeMilliseconds(), options.BatchSize, cancellationToken);

        var delivered = new List<long>(rows.Count);
        DateTimeOffset? nextRetry = null;
        foreach (var row in rows)
        {
            var envelope = row.ToEnvelope();
            using var activity = telemetry.Start("dispatch", module, envelope, System.Diagnostics.ActivityKind.Producer);
            try
            {
                await transport.SendAsync(envelope, cancellationToken);
                delivered.Add(row.Sequence);
                telemetry.Dispatched(module, row.Type, clock.GetUtcNow() - row.OccurredAt);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
                var retryAt = await RecordFailureAsync(db, module, row, exception, cancellationToken);
                nextRetry = Earliest(nextRetry, retryAt);
            }
        }

        if (delivered.Count > 0)
        {
            var processedAt = clock.GetUtcNow();
            await db.Set<OutboxMessage>()
                .Where(m => delivered.Contains(m.Sequence))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, processedAt).SetProperty(m => m.LockedUntil, (long?)null), cancellationToken);
        }

        return new BatchResult(rows.Count, nextRetry);
    }

    private async Task<DateTimeOffset?> RecordFailureAsync(DbContext db, string module, OutboxMessage row, Exception exception, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempts = row.Attempts + 1;
        var dead = attempts >= options.MaxAttempts;
        var retryAt = now + RetryPolicy.Delay(attempts, options);
        var error = RetryPolicy.Describe(exception);
        await db.Set<OutboxMessage>()
            .Where(m => m.Sequence == row.Sequence)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.DueAt, dead ? row.DueAt : retryAt.ToUnixTimeMilliseconds())
                .SetProperty(m => m.DeadLetteredAt, dead ? now : null), cancellationToken);
        telemetry.Failed(module, "dispatch", dead);
        LogDispatchFailed(exception, module, row.Type, row.MessageId, attempts, dead);
        return dead ? null : retryAt;
    }

    internal static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} could not dispatch {Type} {MessageId} (attempt {Attempt}, dead-lettered: {DeadLettered})")]
    private partial void LogDispatchFailed(Exception exception, string module, string type, Guid messageId, int attempt, bool deadLettered);
}
