using Platform.Shared.Abstractions;

namespace Platform.Shared.Messaging;

/// <summary>
/// Handles an integration event in the subscribing module. Implement it (internally) to subscribe:
/// the handler runs in the module's own DI scope and transaction, with the inbox row that makes it
/// run once per message.
/// </summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
}

/// <summary>Where a handled message came from.</summary>
public sealed record IntegrationEventContext(Guid MessageId, string SourceModule, DateTimeOffset OccurredAt, int Attempt);

/// <summary>Publishes an integration event into the publishing module's outbox, inside its current unit of work.</summary>
public interface IEventPublisher
{
    /// <summary>The event is stored with the next SaveChanges of its module and delivered after that commits.</summary>
    Guid Publish<TEvent>(TEvent integrationEvent)
        where TEvent : IIntegrationEvent;
}
