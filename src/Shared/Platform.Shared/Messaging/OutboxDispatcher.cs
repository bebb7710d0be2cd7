using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

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
        var db = scope.ServiceProvider.GetDbContext(modules.Find(module)!.Database!.ContextType);
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
            await MessageStore.MarkProcessedAsync(db.Set<OutboxMessage>(), m => delivered.Contains(m.Sequence), clock.GetUtcNow(), cancellationToken);
        }

        return new BatchResult(rows.Count, nextRetry);
    }

    private async Task<DateTimeOffset?> RecordFailureAsync(DbContext db, string module, OutboxMessage row, Exception exception, CancellationToken cancellationToken)
    {
        var outcome = RetryPolicy.Decide(row.Attempts, exception, final: false, clock.GetUtcNow(), options);
        await MessageStore.MarkFailedAsync(db.Set<OutboxMessage>(), m => m.Sequence == row.Sequence, outcome, cancellationToken);
        telemetry.Failed(module, "dispatch", outcome.DeadLettered);
        LogDispatchFailed(exception, module, row.Type, row.MessageId, outcome.Attempts, outcome.DeadLettered);
        return outcome.NextRetryAt;
    }

    internal static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} could not dispatch {Type} {MessageId} (attempt {Attempt}, dead-lettered: {DeadLettered})")]
    private partial void LogDispatchFailed(Exception exception, string module, string type, Guid messageId, int attempt, bool deadLettered);
}
