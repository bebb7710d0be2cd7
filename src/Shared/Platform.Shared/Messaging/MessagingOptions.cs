namespace Platform.Shared.Messaging;

public enum MessageTransportKind
{
    /// <summary>Every module consumes its own in-memory queue in this process.</summary>
    InProcess,

    /// <summary>Events travel through RabbitMQ: a topic exchange, and a durable queue per subscribing module (<c>Messaging:RabbitMQ:*</c>).</summary>
    RabbitMQ,
}

/// <summary>The <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public MessageTransportKind Transport { get; set; } = MessageTransportKind.InProcess;

    /// <summary>Attempts (counted when they start) before a message is parked as a dead letter.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Fallback polling; delivery is normally started by the commit that wrote the message.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per statement.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>First retry delay; doubles per attempt, with ±20% jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a claim holds a row. A holder that outlives it is fenced off by the next claim's token.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A handler that runs longer is cancelled and its attempt counted as failed. On SQLite it holds its module's write lock while it runs.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries each subscribing module holds in memory; beyond it they wait in the outbox, unclaimed.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>
    /// How long after the server starts listening the relays and consumers start. Their warm-up (EF Core
    /// queries for every module) takes a few hundred milliseconds of CPU; on a small machine it would compete
    /// with the first requests. Messages wait durably meanwhile.
    /// </summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether this process delivers and handles messages. Turn off on instances that should only serve requests.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>
    /// Processed outbox and inbox rows are deleted this long after processing. Inbox rows are the
    /// de-duplication record, so a dead letter older than this cannot be replayed (it is refused).
    /// </summary>
    public TimeSpan RetainProcessedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Readiness reports a module's messaging as degraded when its oldest waiting row is older than this.</summary>
    public TimeSpan BacklogAgeThreshold { get; set; } = TimeSpan.FromMinutes(5);
}
