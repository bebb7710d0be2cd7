using Microsoft.Extensions.Logging;

namespace Platform.Modules.Notifications.Features.Sending;

internal sealed record OutgoingNotification(string Recipient, string Subject, string Body);

/// <summary>The channel to the user (e-mail, SMS, push). Replace the registration to plug in a provider.</summary>
internal interface INotificationSender
{
    Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}

/// <summary>
/// The default channel: writes the notification to the log. Development and tests need no mail
/// server, and production swaps in a provider without touching the handlers.
/// </summary>
internal sealed partial class LoggingNotificationSender(ILogger<LoggingNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        LogSent(notification.Recipient, notification.Subject);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification to {Recipient}: {Subject}")]
    private partial void LogSent(string recipient, string subject);
}
