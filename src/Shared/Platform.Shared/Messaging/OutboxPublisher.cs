using System.Diagnostics;
using System.Text.Json;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Adds the event to its owner's outbox through the owner's scoped DbContext (one row per subscribing
/// module, or one for the broker to route), so it is written by the same transaction as the state change that caused it. Refuses at
/// once, rather than letting the event vanish, when there is no such transaction or when a module
/// publishes an event that another module owns.
/// </summary>
internal sealed class OutboxPublisher(
    IServiceProvider services,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    UnitOfWork unitOfWork,
    OutboxRuntime runtime,
    TimeProvider clock) : IEventPublisher
{
    public Guid Publish<TEvent>(TEvent integrationEvent)
        where TEvent : IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var owner = ModuleNaming.OwnerOfContract(typeof(TEvent))
            ?? throw new InvalidOperationException($"{typeof(TEvent).Name} is not declared in a module's Contracts assembly, so it has no publisher.");
        if (unitOfWork.Module is { } current && !string.Equals(current, owner, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{current} cannot publish {typeof(TEvent).Name}: it belongs to {owner}. A module publishes only the events of its own Contracts.");
        }

        if (modules.Find(owner)?.Database is not { } database)
        {
            throw new InvalidOperationException($"{typeof(TEvent).Name} can only be published by {owner}, which must be hosted here and have a database.");
        }

        var db = services.GetDbContext(database.ContextType);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException(
                $"{typeof(TEvent).Name} was published outside a transaction of {owner}, so nothing would ever save it. Publish from a command (ICommand) or an event handler of {owner}.");
        }

        var now = clock.GetUtcNow();
        var type = catalog.NameOf<TEvent>();
        var messageId = Guid.CreateVersion7(now);
        var payload = JsonSerializer.Serialize(integrationEvent, MessageSerializer.Options);
        var activity = Activity.Current;
        var traceParent = activity?.Id is { Length: <= StoredMessage.TraceParentMaxLength } id ? id : null;
        // A broker routes to every subscriber's queue itself: one row. In process, one row per subscribing module.
        var destinations = catalog.DestinationsOf(type);
        foreach (var destination in runtime.Broker is null || destinations.Count == 0 ? destinations : [OutboxMessage.AllSubscribers])
        {
            db.Set<OutboxMessage>().Add(new OutboxMessage
            {
                MessageId = messageId,
                Destination = destination,
                Type = type,
                Payload = payload,
                SourceModule = owner,
                OccurredAt = now,
                TraceParent = traceParent,
                TraceState = traceParent is null ? null : activity?.TraceStateString,
                DueAt = now.ToUnixTimeMilliseconds(),
            });
        }

        runtime.NotePublished(db, type);
        return messageId;
    }
}

internal static class MessageSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
