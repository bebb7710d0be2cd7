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
/// Runs a module's handlers for a delivery, each in its own scope and transaction:
/// <list type="number">
/// <item>The transaction first takes the message's inbox key: it inserts the inbox row of a first
/// delivery, or marks the claimed row of a retry processed, fenced by the claim token. A key that is
/// already there means the message was delivered before: nothing runs. A retry whose claim was taken
/// over changes nothing and runs nothing.</item>
/// <item>Then the handler runs, within <see cref="MessagingOptions.HandlerTimeout"/>, and its effects
/// are saved in the same transaction. It is made durable before the publisher records the delivery
/// as done (see <see cref="IModuleDurability"/>).</item>
/// <item>If anything fails, all of it rolls back and the failure is stored for a retry with backoff,
/// or as a dead letter after the last attempt. A violation of the handler's own keys is such a
/// failure, never mistaken for a duplicate.</item>
/// </list>
/// </summary>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    SqliteWriteGate writers,
    ILogger<InboxProcessor> logger)
{
    private static readonly ConcurrentDictionary<Type, Func<object, object, IntegrationEventContext, CancellationToken, Task>> Invokers = new();

    /// <summary>Handles a delivery in <paramref name="module"/>: every handler of its type, or the one handler a retry names.</summary>
    public async Task<DeliveryResult> ProcessAsync(string module, Delivery delivery, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var contextType = modules.Find(module)?.Database?.ContextType
            ?? throw new InvalidOperationException($"{module} is not hosted here or has no database.");
        var subscriptions = catalog.SubscriptionsOf(module);
        if (delivery.Origin is FromInbox retry)
        {
            var subscription = subscriptions.FirstOrDefault(s => s.Handler == retry.Handler);
            return await HandleAsync(module, contextType, subscription, retry.Handler, delivery, retry, stoppingToken);
        }

        DeliveryResult? result = null;
        foreach (var subscription in subscriptions)
        {
            if (subscription.EventName == delivery.Envelope.Type)
            {
                var handled = await HandleAsync(module, contextType, subscription, subscription.Handler, delivery, retry: null, stoppingToken);
                result = result is { } previous ? DeliveryResult.Combine(previous, handled) : handled;
            }
        }

        // This version of the module does not handle the type: give a stored delivery back for a process
        // that does (claims only take known types, so it is not taken here again), and a broker's back to
        // its queue (during a rolling deploy a newer instance may handle it); a test's is moot.
        return result ?? new DeliveryResult(delivery.Origin switch
        {
            FromOutbox => DeliveryOutcome.Abandoned,
            FromBroker => DeliveryOutcome.NotHandledHere,
            _ => DeliveryOutcome.Duplicate,
        });
    }

    /// <summary>Delivers an envelope to a hosted module as a first delivery: what every transport does on arrival.</summary>
    public Task<DeliveryResult> DeliverAsync(string module, MessageEnvelope envelope, CancellationToken cancellationToken) =>
        ProcessAsync(module, new Delivery(envelope, new FromTransport(), envelope.TraceParent), cancellationToken);

    private async Task<DeliveryResult> HandleAsync(
        string module, Type contextType, Subscription? subscription, string handlerName, Delivery delivery, FromInbox? retry, CancellationToken stoppingToken)
    {
        var envelope = delivery.Envelope;
        var attempt = retry?.Attempt ?? 1;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        using var activity = telemetry.Start("process", module, envelope, ActivityKind.Consumer, delivery.ParentId);
        activity?.SetTag("platform.handler", handlerName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            if (subscription is null)
            {
                throw new MissingHandlerException(handlerName);
            }

            // Committed with NORMAL; made durable in groups before anyone relies on it (IModuleDurability).
            await SqliteCommits.DeferSyncAsync(db, timeout.Token);
            // The cause is made durable before the handler takes its file's write turn, so no other writer of
            // that file waits on another file's sync. The handler's time starts once it may write: waiting
            // behind other writers is not its slowness.
            await delivery.CauseDurable.WaitAsync(stoppingToken);
            using var turn = await writers.EnterAsync(db, stoppingToken);
            timeout.CancelAfter(options.HandlerTimeout);
            await using (var transaction = await db.Database.BeginTransactionAsync(timeout.Token))
            {
                var now = clock.GetUtcNow();
                if (retry is null)
                {
                    if (!await TryTakeInboxKeyAsync(db, envelope, handlerName, attempt, now, timeout.Token))
                    {
                        telemetry.Duplicate(module, envelope.Type);
                        LogDuplicate(module, handlerName, envelope.MessageId);
                        return new DeliveryResult(DeliveryOutcome.Duplicate);
                    }
                }
                else if (await MessageStore.CompleteInboxAsync(db, envelope.MessageId, handlerName, retry.Token, now, timeout.Token) == 0)
                {
                    LogFenced(module, handlerName, envelope.MessageId);
                    return new DeliveryResult(DeliveryOutcome.Fenced);
                }

                using (scope.ServiceProvider.GetRequiredService<UnitOfWork>().Enter(module))
                {
                    var integrationEvent = JsonSerializer.Deserialize(envelope.Payload, subscription.EventType, MessageSerializer.Options)
                        ?? throw new JsonException("The payload is null.");
                    var handler = scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
                    var context = new IntegrationEventContext(envelope.MessageId, envelope.SourceModule, envelope.OccurredAt, attempt);
                    await Invoker(subscription.EventType)(handler, integrationEvent, context, timeout.Token);
                    await db.SaveChangesAsync(timeout.Token);
                }

                await transaction.CommitAsync(CancellationToken.None); // its cause was on disk before the transaction began
                scope.ServiceProvider.GetRequiredService<UnitOfWork>().Committed(); // what the handler left for after its commit
            }

            telemetry.Handled(module, envelope.Type, clock.GetUtcNow() - envelope.OccurredAt);
            return new DeliveryResult(DeliveryOutcome.Handled);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped by shutdown, not by the time limit: given back with no attempt spent.
            return new DeliveryResult(DeliveryOutcome.Abandoned);
        }
        catch (Exception exception)
        {
            var error = timeout.IsCancellationRequested
                ? new TimeoutException($"The handler ran longer than Messaging:HandlerTimeout ({options.HandlerTimeout}).", exception)
                : exception;
            activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            db.ChangeTracker.Clear();
            return await RecordFailureAsync(db, module, delivery, handlerName, retry, attempt, error, final: error is JsonException or MissingHandlerException);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Inserts the inbox row first; false when the key exists, i.e. the message was delivered before.</summary>
    private static async Task<bool> TryTakeInboxKeyAsync(DbContext db, MessageEnvelope envelope, string handler, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await MessageStore.InsertProcessedInboxAsync(db, envelope, handler, attempt, now, cancellationToken);
            return true;
        }
        catch (Exception exception) when (UniqueConstraint.IsViolation(exception))
        {
            return false;
        }
    }

    private async Task<DeliveryResult> RecordFailureAsync(
        DbContext db, string module, Delivery delivery, string handler, FromInbox? retry, int attempt, Exception exception, bool final)
    {
        var envelope = delivery.Envelope;
        var outcome = RetryPolicy.Decide(attempt, exception, final, clock.GetUtcNow(), options);
        try
        {
            await delivery.CauseDurable;
            using var turn = await writers.EnterAsync(db, CancellationToken.None);
            if (retry is not null)
            {
                if (await MessageStore.FailInboxAsync(db, envelope.MessageId, handler, retry.Token, outcome, CancellationToken.None) == 0)
                {
                    LogFenced(module, handler, envelope.MessageId);
                    return new DeliveryResult(DeliveryOutcome.Fenced);
                }
            }
            else
            {
                db.Set<InboxMessage>().Add(InboxMessage.Unprocessed(envelope, handler, attempt, outcome.Now, outcome.DueAt, outcome.Error, outcome.DeadLetteredAt));
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (DbUpdateException duplicate) when (UniqueConstraint.IsViolation(duplicate))
        {
            // Another delivery of the same message got there first: the module has it either way.
            db.ChangeTracker.Clear();
            telemetry.Duplicate(module, envelope.Type);
            return new DeliveryResult(DeliveryOutcome.Duplicate);
        }
#pragma warning disable CA1031 // Not even the failure could be written: the delivery is tried again later.
        catch (Exception unrecorded)
#pragma warning restore CA1031
        {
            db.ChangeTracker.Clear();
            LogNotRecorded(unrecorded, module, handler, envelope.MessageId);
            return new DeliveryResult(DeliveryOutcome.NotDurable, Error: exception);
        }

        telemetry.Failed(module, "handle", outcome.DeadLettered);
        LogHandlingFailed(exception, module, handler, envelope.MessageId, outcome.Attempts, outcome.DeadLettered);
        return new DeliveryResult(DeliveryOutcome.FailureStored, outcome.NextRetryAt);
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

    /// <summary>A message arrived from a transport (or a test), not from a stored row.</summary>
    private sealed record FromTransport : DeliveryOrigin;

    private sealed class MissingHandlerException(string handler)
        : Exception($"No handler named '{handler}' exists in this version of the module.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} handler {Handler} failed on {MessageId} (attempt {Attempt}, dead-lettered: {DeadLettered})")]
    private partial void LogHandlingFailed(Exception exception, string module, string handler, Guid messageId, int attempt, bool deadLettered);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Module} handler {Handler} skipped {MessageId}: its inbox already has it")]
    private partial void LogDuplicate(string module, string handler, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Module} handler {Handler} left {MessageId} alone: another claim holds it now")]
    private partial void LogFenced(string module, string handler, Guid messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} could not record the failure of {Handler} on {MessageId}; the delivery will be tried again")]
    private partial void LogNotRecorded(Exception exception, string module, string handler, Guid messageId);
}
