using Platform.Shared.Abstractions;

namespace Platform.Shared.Messaging;

/// <summary>Publishes an integration event into the publishing module's outbox, inside its current unit of work.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Adds the event to the owning module's outbox. It is stored by the next SaveChanges of the open
    /// transaction and delivered after that commits. Throws at once when called outside a transaction
    /// of the owning module (a command or an event handler of that module).
    /// </summary>
    Guid Publish<TEvent>(TEvent integrationEvent)
        where TEvent : IIntegrationEvent;
}
