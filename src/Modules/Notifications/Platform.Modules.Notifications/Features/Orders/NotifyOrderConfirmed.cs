using System.Globalization;
using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Features.Sending;
using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Notifications.Features.Orders;

/// <summary>Tells the customer their order is confirmed (paid, stock set aside).</summary>
[IntegrationEventHandler("notifications.order-confirmed")]
internal sealed class NotifyOrderConfirmed(Notifier notifier) : IIntegrationEventHandler<OrderConfirmed>
{
    public Task HandleAsync(OrderConfirmed integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ArgumentNullException.ThrowIfNull(context);
        var total = string.Create(CultureInfo.InvariantCulture, $"{integrationEvent.Total:0.00} {integrationEvent.Currency}");
        return notifier.NotifyAsync(
            integrationEvent.CustomerId,
            integrationEvent.CustomerEmail,
            NotificationKind.OrderConfirmed,
            $"Order {integrationEvent.OrderId} is confirmed",
            $"We received your payment of {total}. Your order {integrationEvent.OrderId} is confirmed.",
            context.MessageId,
            cancellationToken);
    }
}
