namespace Platform.Shared.Messaging;

/// <summary>Carries a published message from the publisher's outbox to every subscribing module.</summary>
public interface IMessageTransport
{
    Task SendAsync(MessageEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>
/// The default transport: subscribers run in this process, so delivery is handing the message to
/// each subscribing module's inbox, all modules at once (each has its own database).
/// </summary>
internal sealed class InProcessTransport(IntegrationEventCatalog catalog, InboxProcessor inbox) : IMessageTransport
{
    public Task SendAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Task.WhenAll(catalog.SubscribersOf(envelope.Type)
            .Select(s => s.Module)
            .Distinct(StringComparer.Ordinal)
            .Select(module => inbox.ReceiveAsync(module, envelope, cancellationToken)));
    }
}
