namespace Platform.Shared.Messaging;

public enum MessageTransportKind
{
    InProcess,
}

/// <summary>The <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public MessageTransportKind Transport { get; set; } = MessageTransportKind.InProcess;

    /// <summary>Handling attempts before a message is parked as a dead letter.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Fallback polling; dispatch is normally woken by the commit that wrote the message.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 50;

    /// <summary>First retry delay; doubles per attempt, with ±20% jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a claimed batch stays reserved for the instance that claimed it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether this process runs the dispatchers. Turn off on instances that should only serve requests.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Processed outbox and inbox rows are deleted after this long (inbox rows are the de-duplication record).</summary>
    public TimeSpan RetainProcessedFor { get; set; } = TimeSpan.FromDays(7);
}
