using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Adds the event to its owner's outbox through the owner's scoped DbContext, so it is written by the
/// same SaveChanges and transaction as the state change that caused it. A module can only publish
/// the events declared in its own Contracts.
/// </summary>
internal sealed class OutboxEventPublisher(
    IServiceProvider services,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    MessagingTelemetry telemetry,
    TimeProvider clock) : IEventPublisher
{
    public Guid Publish<TEvent>(TEvent integrationEvent)
        where TEvent : IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var owner = ModuleNaming.OwnerOfContract(typeof(TEvent));
        var module = owner is null ? null : modules.Find(owner);
        if (module?.Database is not { } database)
        {
            throw new InvalidOperationException(
                $"{typeof(TEvent).Name} can only be published by its owning module ({owner ?? "none"}), which must be hosted here and have a database.");
        }

        var now = clock.GetUtcNow();
        var activity = Activity.Current;
        var message = new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(now),
            Type = catalog.NameOf<TEvent>(),
            Payload = JsonSerializer.Serialize(integrationEvent, MessageSerializer.Options),
            SourceModule = module.Name,
            OccurredAt = now,
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            DueAt = now.ToUnixTimeMilliseconds(),
        };

        var db = services.GetDbContext(database.ContextType);
        db.Set<OutboxMessage>().Add(message);
        telemetry.Published(module.Name, message.Type);
        return message.MessageId;
    }
}

internal static class MessageSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
