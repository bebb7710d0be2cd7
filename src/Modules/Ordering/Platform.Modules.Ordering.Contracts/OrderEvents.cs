using Platform.Shared.Abstractions;

namespace Platform.Modules.Ordering.Contracts;

/// <summary>One line of a placed order: what Inventory reserves.</summary>
public sealed record OrderedLine(Guid ProductId, int Quantity);

/// <summary>
/// An order was accepted, priced by Catalog at placement. Inventory reserves its lines (all or none);
/// Payments keeps its owner and total, to charge once the stock is held.
/// </summary>
[IntegrationEvent("ordering.order-placed")]
public sealed record OrderPlaced(
    Guid OrderId, Guid CustomerId, IReadOnlyList<OrderedLine> Lines, decimal Total, string Currency, DateTimeOffset PlacedAt) : IIntegrationEvent;

/// <summary>Stock was held and the charge succeeded: Inventory takes the stock off hand, Notifications tells the customer.</summary>
[IntegrationEvent("ordering.order-confirmed")]
public sealed record OrderConfirmed(Guid OrderId, Guid CustomerId, string CustomerEmail, decimal Total, string Currency) : IIntegrationEvent;

/// <summary>
/// The order ended without being fulfilled. Every module undoes its part: Inventory releases or returns
/// the stock, Payments refunds a charge (one that lands later included), Notifications tells the customer.
/// Carries the total, so Payments can close its books on an order whose placement it has not seen yet.
/// </summary>
[IntegrationEvent("ordering.order-cancelled")]
public sealed record OrderCancelled(
    Guid OrderId, Guid CustomerId, string CustomerEmail, string Reason, bool WasConfirmed, decimal Total, string Currency) : IIntegrationEvent;
