using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Features.Sending;
using Platform.Modules.Ordering.Contracts;
using Platform.Shared.Messaging;

namespace Platform.Modules.Notifications.Features.Orders;

/// <summary>Tells the customer their order was cancelled, and why in words they understand.</summary>
[IntegrationEventHandler("notifications.order-cancelled")]
internal sealed class NotifyOrderCancelled(Notifier notifier) : IIntegrationEventHandler<OrderCancelled>
{
    public Task HandleAsync(OrderCancelled integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ArgumentNullException.ThrowIfNull(context);
        return notifier.NotifyAsync(
            integrationEvent.CustomerId,
            integrationEvent.CustomerEmail,
            NotificationKind.OrderCancelled,
            $"Order {integrationEvent.OrderId} is cancelled ({integrationEvent.Reason})",
            $"Your order {integrationEvent.OrderId} was cancelled: {Explain(integrationEvent)}",
            context.MessageId,
            cancellationToken);
    }

    private static string Explain(OrderCancelled cancelled) => cancelled.Reason switch
    {
        OrderCancellationReasons.OutOfStock => "some of it is out of stock. Nothing was charged.",
        OrderCancellationReasons.PaymentDeclined => "the payment was declined. Nothing was charged.",
        OrderCancellationReasons.TimedOut => "it could not be completed in time. Anything charged is refunded.",
        OrderCancellationReasons.CustomerCancelled when cancelled.WasConfirmed => "as you asked. Your payment is refunded.",
        OrderCancellationReasons.CustomerCancelled => "as you asked. Anything charged is refunded.",
        _ => "Anything charged is refunded.",
    };
}
