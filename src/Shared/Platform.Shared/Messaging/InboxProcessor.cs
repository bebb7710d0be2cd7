using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>
/// Runs a module's handlers for its received messages. Each handler runs in its own scope and
/// transaction, which also marks the inbox row processed: the effects and the record of them commit
/// together or not at all. Failures are retried with backoff, then dead-lettered.
/// </summary>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    ILogger<InboxProcessor> logger)
{
    private static readonly ConcurrentDictionary<Type, Func<object, object, IntegrationEventContext, CancellationToken, Task>> Invokers = new();

    public async Task<BatchResult> ProcessBatchAsync(string module, CancellationToken cancellationToken)
    {
        var contextType = modules.Find(module)!.Database!.ContextType;
        List<InboxMessage> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(contextType);
            var now = clock.GetUtcNow();
            rows = await MessageStore.ClaimInboxAsync(
                db, now.ToUnixTimeMilliseconds(), (now + options.LeaseDuration).ToUnixTimeMilliseconds(), options.BatchSize, cancellationToken);
        }

        DateTimeOffset? nextRetry = null;
        foreach (var row in rows)
        {
            nextRetry = OutboxDispatcher.Earliest(nextRetry, await ProcessAsync(module, contextType, row, cancellationToken));
        }

        return new BatchResult(rows.Count, nextRetry);
    }

    private async Task<DateTimeOffset?> ProcessAsync(string module, Type contextType, InboxMessage row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(contextType);
        var envelope = row.ToEnvelope();
        using var activity = telemetry.Start("process", module, envelope, ActivityKind.Consumer);
        activity?.SetTag("platform.handler", row.Handler);

        var subscription = catalog.SubscriptionsOf(module).FirstOrDefault(s => s.Handler == row.Handler);
        if (subscription is null)
        {
            return await RecordFailureAsync(db, module, row, new InvalidOperationException($"No handler {row.Handler} exists in this version."), final: true, cancellationToken);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var integrationEvent = JsonSerializer.Deserialize(row.Payload, subscription.EventType, MessageSerializer.Options)
                ?? throw new JsonException("The payload is null.");
            var handler = scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
            var context = new IntegrationEventContext(row.MessageId, row.SourceModule, row.OccurredAt, row.Attempts + 1);
            await Invoker(subscription.EventType)(handler, integrationEvent, context, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            var processedAt = clock.GetUtcNow();
            await db.Set<InboxMessage>()
                .Where(m => m.MessageId == row.MessageId && m.Handler == row.Handler)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, processedAt).SetProperty(m => m.LockedUntil, (long?)null), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            telemetry.Handled(module, row.Type, processedAt - row.OccurredAt);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            db.ChangeTracker.Clear();
            return await RecordFailureAsync(db, module, row, exception, final: exception is JsonException, cancellationToken);
        }
    }

    private async Task<DateTimeOffset?> RecordFailureAsync(DbContext db, string module, InboxMessage row, Exception exception, bool final, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempts = row.Attempts + 1;
        var dead = final || attempts >= options.MaxAttempts;
        var retryAt = now + RetryPolicy.Delay(attempts, options);
        var error = RetryPolicy.Describe(exception);
        await db.Set<InboxMessage>()
            .Where(m => m.MessageId == row.MessageId && m.Handler == row.Handler)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.DueAt, dead ? row.DueAt : retryAt.ToUnixTimeMilliseconds())
                .SetProperty(m => m.DeadLetteredAt, dead ? now : null), cancellationToken);
        telemetry.Failed(module, "handle", dead);
        LogHandlingFailed(exception, module, row.Handler, row.MessageId, attempts, dead);
        return dead ? null : retryAt;
    }

    private static Func<object, object, IntegrationEventContext, CancellationToken, Task> Invoker(Type eventType) =>
        Invokers.GetOrAdd(eventType, static type => (Func<object, object, IntegrationEventContext, CancellationToken, Task>)
            Delegate.CreateDelegate(
                typeof(Func<object, object, IntegrationEventContext, CancellationToken, Task>),
                typeof(InboxProcessor).GetMethod(nameof(Invoke), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(type)));

    private static Task Invoke<TEvent>(object handler, object integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
        where TEvent : IIntegrationEvent =>
        ((IIntegrationEventHandler<TEvent>)handler).HandleAsync((TEvent)integrationEvent, context, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} handler {Handler} failed on {MessageId} (attempt {Attempt}, dead-lettered: {DeadLettered})")]
    private partial void LogHandlingFailed(Exception exception, string module, string handler, Guid messageId, int attempt, bool deadLettered);
}
