using Platform.Modules.Identity.Contracts;
using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Features.Sending;
using Platform.Shared.Messaging;

namespace Platform.Modules.Notifications.Features.Welcome;

/// <summary>Welcomes every new account. Runs once per registration, however often the event is delivered.</summary>
[IntegrationEventHandler("notifications.welcome")]
internal sealed class SendWelcomeNotification(Notifier notifier) : IIntegrationEventHandler<UserRegistered>
{
    public Task HandleAsync(UserRegistered integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ArgumentNullException.ThrowIfNull(context);
        return notifier.NotifyAsync(
            integrationEvent.UserId,
            integrationEvent.Email,
            NotificationKind.Welcome,
            $"Welcome, {integrationEvent.DisplayName}",
            "Your account is ready. Browse the catalog and place your first order whenever you like.",
            context.MessageId,
            cancellationToken);
    }
}
