namespace Platform.Modules.Notifications.Domain;

internal static class NotificationKind
{
    public const string Welcome = "Welcome";
    public const string OrderConfirmed = "OrderConfirmed";
    public const string OrderCancelled = "OrderCancelled";
}

/// <summary>A message sent to a user, kept so the user can read it again and support can see what went out.</summary>
internal sealed class Notification
{
    private Notification()
    {
    }

    public long Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Recipient { get; private set; } = string.Empty;

    public string Kind { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    /// <summary>The integration event that caused it: one notification of a kind per event.</summary>
    public Guid SourceMessageId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static Notification Create(Guid userId, string recipient, string kind, string subject, string body, Guid sourceMessageId, DateTimeOffset now) => new()
    {
        UserId = userId,
        Recipient = recipient,
        Kind = kind,
        Subject = subject,
        Body = body,
        SourceMessageId = sourceMessageId,
        CreatedAt = now,
    };

    public void MarkSent(DateTimeOffset now) => SentAt ??= now;
}
