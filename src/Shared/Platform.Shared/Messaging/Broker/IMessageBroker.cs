namespace Platform.Shared.Messaging;

/// <summary>
/// A message broker carrying envelopes between processes (<c>Messaging:Transport=RabbitMQ</c>). The
/// outbox hands it committed rows and marks them dispatched only when it confirms them; what arrives is
/// handed to the hosted modules through <see cref="IBrokerInbound"/>. Implemented in its own project.
/// </summary>
public interface IMessageBroker
{
    /// <summary>Whether publishing can be tried now; false while the connection is down.</summary>
    bool IsConnected { get; }

    /// <summary>Publishes the messages and waits for the broker's confirms: one outcome per message, in order.</summary>
    Task<IReadOnlyList<PublishOutcome>> PublishAsync(IReadOnlyList<BrokerMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the connection, the topology and the hosted modules' consumers up until stopped, reconnecting
    /// by itself; calls <paramref name="connected"/> each time publishing becomes possible again.
    /// </summary>
    Task RunAsync(BrokerTopology topology, IBrokerInbound inbound, Action connected, CancellationToken stoppingToken);
}

/// <summary>
/// An envelope to publish: to every subscriber of its type (<paramref name="Destination"/> null), or to
/// one module's queue (a row written for one subscriber, before the broker transport was chosen).
/// </summary>
public sealed record BrokerMessage(MessageEnvelope Envelope, string? Destination);

public enum PublishStatus
{
    /// <summary>The broker has the message durably.</summary>
    Confirmed,

    /// <summary>Not sent (no connection), or not confirmed in time (a slow or blocked broker): published later, no attempt spent.</summary>
    NotSent,

    /// <summary>
    /// Refused (nack, returned), or the channel closed while it was out. An attempt that failed: retried with
    /// backoff, and a message that always fails (one the broker closes the channel over, say) ends as a dead
    /// letter instead of tearing the connection down for ever.
    /// </summary>
    Failed,
}

public readonly record struct PublishOutcome(PublishStatus Status, Exception? Error = null);

/// <summary>Every subscribing module of the application, with the wire names it subscribes to, and whether it is hosted (consumed) here.</summary>
public sealed record BrokerTopology(IReadOnlyList<BrokerSubscriber> Subscribers);

public sealed record BrokerSubscriber(string Module, IReadOnlyList<string> EventTypes, bool Hosted);

public enum BrokerVerdict
{
    /// <summary>The module has it durably: handled, known from before, or its failure stored for retry.</summary>
    Ack,

    /// <summary>
    /// Not even a failure could be recorded (its database is down), or this version of the module has no
    /// handler for the type (another instance, newer, may have): requeue after a pause; the queue's
    /// delivery limit ends it as a dead letter.
    /// </summary>
    Retry,

    /// <summary>Not a message this module may take (its source does not own the event): straight to the dead letters.</summary>
    Reject,
}

/// <summary>Where a broker hands what arrives for a hosted module.</summary>
public interface IBrokerInbound
{
    /// <summary>
    /// Delivers the message to the module's consumer and says what to tell the broker. Cancelled on
    /// shutdown: nothing, the broker delivers it again.
    /// </summary>
    Task<BrokerVerdict> DeliverAsync(string module, MessageEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a message the broker dead-lettered as the module's dead letters (one per handler of its type),
    /// visible and replayable beside the stored ones; durable when it returns, throws when it cannot be stored.
    /// </summary>
    Task StoreDeadLetterAsync(string module, MessageEnvelope envelope, string reason, CancellationToken cancellationToken);
}
