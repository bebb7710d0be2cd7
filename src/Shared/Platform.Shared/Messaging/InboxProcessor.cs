using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Runs a module's handlers for the messages it receives. Each handler runs in its own scope and
/// transaction, which also writes the handler's inbox row: the effects and the record of them commit
/// together or not at all, so a redelivered message has no second effect.
/// A received message is handled at once; only a failure leaves a pending inbox row, which the
/// module's inbox loop retries with backoff until it succeeds or is dead-lettered.
/// </summary>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    ModuleSignals signals,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    ILogger<InboxProcessor> logger)
{
    private static readonly ConcurrentDictionary<Type, Func<object, object, IntegrationEventContext, CancellationToken, Task>> Invokers = new();

    /// <summary>Delivers a message to each of the module's handlers of its type. Every transport ends here.</summary>
    public async Task ReceiveAsync(string module, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var contextType = modules.Find(module)?.Database?.ContextType;
        if (contextType is null)
        {
            return;
        }

        foreach (var subscription in catalog.SubscriptionsOf(module).Where(s => s.EventName == envelope.Type))
        {
            await HandleAsync(module, contextType, subscription, envelope, stored: null, cancellationToken);
        }
    }

    /// <summary>Retries the module's stored (previously failed or replayed) inbox rows that are due.</summary>
    public async Task<BatchResult> ProcessBatchAsync(string module, CancellationToken cancellationToken)
    {
        var contextType = modules.Find(module)!.Database!.ContextType;
        List<InboxMessage> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetDbContext(contextType);
            var now = clock.GetUtcNow();
            rows = await MessageStore.ClaimInboxAsync(
                db, now.ToUnixTimeMilliseconds(), (now + options.LeaseDuration).ToUnixTimeMilliseconds(), options.BatchSize, cancellationToken);
        }

        DateTimeOffset? nextRetry = null;
        foreach (var row in rows)
        {
            var subscription = catalog.SubscriptionsOf(module).FirstOrDefault(s => s.Handler == row.Handler);
            nextRetry = OutboxDispatcher.Earliest(nextRetry, await HandleAsync(module, contextType, subscription, row.ToEnvelope(), row, cancellationToken));
        }

        return new BatchResult(rows.Count, nextRetry);
    }

    /// <summary>The earliest time a stored row of the module falls due, so the inbox loop sleeps no longer than needed.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(string module, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(modules.Find(module)!.Database!.ContextType);
        var due = await db.Set<InboxMessage>()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
            .MinAsync(m => (long?)m.DueAt, cancellationToken);
        return due is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private async Task<DateTimeOffset?> HandleAsync(
        string module, Type contextType, Subscription? subscription, MessageEnvelope envelope, InboxMessage? stored, CancellationToken cancellationToken)
    {
        var handlerName = subscription?.Handler ?? stored!.Handler;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        using var activity = telemetry.Start("process", module, envelope, ActivityKind.Consumer);
        activity?.SetTag("platform.handler", handlerName);
        var attempt = (stored?.Attempts ?? 0) + 1;

        if (subscription is null)
        {
            return await RecordFailureAsync(db, module, envelope, handlerName, stored, new InvalidOperationException($"No handler {handlerName} exists in this version."), final: true, cancellationToken);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var inbox = db.Set<InboxMessage>();
            if (stored is null && await inbox.AnyAsync(m => m.MessageId == envelope.MessageId && m.Handler == handlerName, cancellationToken))
            {
                // Seen before: handled already, or failed and owned by the retry loop.
                return null;
            }

            var integrationEvent = JsonSerializer.Deserialize(envelope.Payload, subscription.EventType, MessageSerializer.Options)
                ?? throw new JsonException("The payload is null.");
            var handler = scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
            var context = new IntegrationEventContext(envelope.MessageId, envelope.SourceModule, envelope.OccurredAt, attempt);
            await Invoker(subscription.EventType)(handler, integrationEvent, context, cancellationToken);

            var processedAt = clock.GetUtcNow();
            if (stored is null)
            {
                inbox.Add(NewRow(envelope, handlerName, processedAt, processedAt: processedAt));
            }

            await db.SaveChangesAsync(cancellationToken);
            if (stored is not null)
            {
                await MessageStore.MarkProcessedAsync(inbox, m => m.MessageId == envelope.MessageId && m.Handler == handlerName, processedAt, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            telemetry.Handled(module, envelope.Type, processedAt - envelope.OccurredAt);
            return null;
        }
        catch (DbUpdateException exception) when (stored is null && UniqueConstraint.IsViolation(exception))
        {
            // The same message was delivered twice at once and the other delivery committed first.
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            db.ChangeTracker.Clear();
            return await RecordFailureAsync(db, module, envelope, handlerName, stored, exception, final: exception is JsonException, cancellationToken);
        }
    }

    private async Task<DateTimeOffset?> RecordFailureAsync(
        DbContext db, string module, MessageEnvelope envelope, string handler, InboxMessage? stored, Exception exception, bool final, CancellationToken cancellationToken)
    {
        var outcome = RetryPolicy.Decide(stored?.Attempts ?? 0, exception, final, clock.GetUtcNow(), options);
        if (stored is null)
        {
            var row = NewRow(envelope, handler, outcome.Now, processedAt: null);
            row.Attempts = outcome.Attempts;
            row.DueAt = outcome.DueAt;
            row.LastError = outcome.Error;
            row.DeadLetteredAt = outcome.DeadLetteredAt;
            db.Set<InboxMessage>().Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException duplicate) when (UniqueConstraint.IsViolation(duplicate))
            {
                return null;
            }

            signals.Inbox(module).Set();
        }
        else
        {
            await MessageStore.MarkFailedAsync(db.Set<InboxMessage>(), m => m.MessageId == envelope.MessageId && m.Handler == handler, outcome, cancellationToken);
        }

        telemetry.Failed(module, "handle", outcome.DeadLettered);
        LogHandlingFailed(exception, module, handler, envelope.MessageId, outcome.Attempts, outcome.DeadLettered);
        return outcome.NextRetryAt;
    }

    private static InboxMessage NewRow(MessageEnvelope envelope, string handler, DateTimeOffset receivedAt, DateTimeOffset? processedAt) => new()
    {
        MessageId = envelope.MessageId,
        Handler = handler,
        Type = envelope.Type,
        Payload = envelope.Payload,
        SourceModule = envelope.SourceModule,
        OccurredAt = envelope.OccurredAt,
        TraceParent = envelope.TraceParent,
        TraceState = envelope.TraceState,
        ReceivedAt = receivedAt,
        DueAt = receivedAt.ToUnixTimeMilliseconds(),
        ProcessedAt = processedAt,
    };

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
