using Platform.Modules.Identity.Contracts;
using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Features.Sending;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Messaging;

namespace Platform.Modules.Notifications.Features.Welcome;

/// <summary>Welcomes every new account. Runs once per registration, however often the event is delivered.</summary>
[IntegrationEventHandler("notifications.welcome")]
internal sealed class SendWelcomeNotification(NotificationsDbContext db, INotificationSender sender, TimeProvider clock)
    : IIntegrationEventHandler<UserRegistered>
{
    public async Task HandleAsync(UserRegistered integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ArgumentNullException.ThrowIfNull(context);
        var notification = Notification.Create(
            integrationEvent.UserId,
            integrationEvent.Email,
            NotificationKind.Welcome,
            $"Welcome, {integrationEvent.DisplayName}",
            "Your account is ready. Browse the catalog and place your first order whenever you like.",
            context.MessageId,
            clock.GetUtcNow());

        // Sent before the commit: if the commit then fails, the retry sends again (at least once), never zero times.
        await sender.SendAsync(new OutgoingNotification(notification.Recipient, notification.Subject, notification.Body), cancellationToken);
        notification.MarkSent(clock.GetUtcNow());
        db.Notifications.Add(notification);
    }
}
