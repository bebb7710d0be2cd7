using Platform.Shared.Abstractions;

namespace Platform.Shared.Messaging;

/// <summary>
/// Handles an integration event in the subscribing module. Implement it (internally) and name it with
/// <see cref="IntegrationEventHandlerAttribute"/> to subscribe: the handler runs in the module's own DI
/// scope and transaction, together with the inbox row that makes it run once per message.
/// </summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
}

/// <summary>Where a handled message came from, and which attempt this is (1 for the first).</summary>
public sealed record IntegrationEventContext(Guid MessageId, string SourceModule, DateTimeOffset OccurredAt, int Attempt);

/// <summary>
/// The handler's stable name, e.g. <c>notifications.welcome</c>. Inbox rows and dead letters are keyed
/// by it, so renaming or moving the class does not re-run old messages. Never change a name in use;
/// names are checked unique at start.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventHandlerAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
