using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Hands broker deliveries to the hosted modules' own consumers, in arrival order beside their stored
/// retries, and reports back only once the outcome is on disk, so an ack never runs ahead of the effect.
/// </summary>
internal sealed partial class BrokerInbound(
    OutboxRuntime runtime,
    IModuleDurability durability,
    IntegrationEventCatalog catalog,
    ModuleRegistry modules,
    IServiceScopeFactory scopes,
    MessagingOptions options,
    SqliteWriteGate writers,
    TimeProvider clock,
    ILogger<BrokerInbound> logger) : IBrokerInbound
{
    /// <summary>The handler name of a dead letter whose type the module does not handle: replaying it fails again, visibly.</summary>
    public const string NoHandler = "broker.no-handler";

    /// <summary>The handler name of a dead letter whose source does not own its event: it never reaches a real handler, even replayed.</summary>
    public const string Refused = "broker.refused";

    public async Task<BrokerVerdict> DeliverAsync(string module, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        // Only an event's own module publishes it: anything else on the queue was not written by an outbox of ours.
        if (ForgedSource(envelope) is { } owner)
        {
            LogForeignSource(module, envelope.Type, envelope.MessageId, envelope.SourceModule, owner);
            return BrokerVerdict.Reject;
        }

        var consumer = runtime.ConsumerOf(module) ?? throw new InvalidOperationException($"{module} does not consume here.");
        var outcome = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await consumer.EnqueueAsync(new Delivery(envelope, new FromBroker(outcome), envelope.TraceParent), cancellationToken);
        var result = await outcome.Task.WaitAsync(cancellationToken);
        if (result.Outcome == DeliveryOutcome.Abandoned)
        {
            throw new OperationCanceledException($"{module} stopped before it handled {envelope.MessageId}.");
        }

        if (!result.IsDurable)
        {
            return BrokerVerdict.Retry;
        }

        await durability.MakeDurableAsync(module, CancellationToken.None);
        return BrokerVerdict.Ack;
    }

    public async Task StoreDeadLetterAsync(string module, MessageEnvelope envelope, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var contextType = modules.Find(module)?.Database?.ContextType ?? throw new InvalidOperationException($"{module} is not hosted here.");
        var handlers = ForgedSource(envelope) is not null
            ? [Refused]
            : catalog.SubscriptionsOf(module).Where(s => s.EventName == envelope.Type).Select(s => s.Handler).DefaultIfEmpty(NoHandler).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        using (await writers.EnterAsync(db, cancellationToken))
        {
            var inbox = db.Set<InboxMessage>();
            // A handler that already has the message (handled before the broker gave up on a later copy) keeps its row.
            var known = await inbox.Where(m => m.MessageId == envelope.MessageId).Select(m => m.Handler).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            foreach (var handler in handlers.Except(known, StringComparer.Ordinal))
            {
                inbox.Add(InboxMessage.Unprocessed(envelope, handler, options.MaxAttempts, now, now.ToUnixTimeMilliseconds(), reason, deadLetteredAt: now));
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await durability.MakeDurableAsync(module, CancellationToken.None);
    }

    /// <summary>The event's real owner, when the envelope claims another source; null when it is its owner's (or unknown here).</summary>
    private string? ForgedSource(MessageEnvelope envelope) =>
        catalog.TypeOf(envelope.Type) is { } type && ModuleNaming.OwnerOfContract(type) is { } owner
        && !string.Equals(owner, envelope.SourceModule, StringComparison.OrdinalIgnoreCase)
            ? owner
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} refused {Type} {MessageId}: it claims to come from {Source}, but {Owner} owns that event; it goes to the module's dead letters")]
    private partial void LogForeignSource(string module, string type, Guid messageId, string source, string owner);
}
