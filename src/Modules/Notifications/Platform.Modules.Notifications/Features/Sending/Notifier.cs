using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Persistence;

namespace Platform.Modules.Notifications.Features.Sending;

/// <summary>Stores a notification for its user and hands it to the sender: what every notifying handler does.</summary>
internal sealed class Notifier(NotificationsDbContext db, INotificationSender sender, TimeProvider clock)
{
    public async Task NotifyAsync(Guid userId, string recipient, string kind, string subject, string body, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var notification = Notification.Create(userId, recipient, kind, subject, body, sourceMessageId, clock.GetUtcNow());

        // Sent before the commit: if the commit then fails, the retry sends again (at least once), never zero times.
        await sender.SendAsync(new OutgoingNotification(notification.Recipient, notification.Subject, notification.Body), cancellationToken);
        notification.MarkSent(clock.GetUtcNow());
        db.Notifications.Add(notification);
    }
}
