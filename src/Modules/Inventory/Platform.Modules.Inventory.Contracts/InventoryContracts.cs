using Platform.Shared.Abstractions;

namespace Platform.Modules.Inventory.Contracts;

/// <summary>What other modules may know of Inventory: its answers to an order's reservation.</summary>
public static class InventoryContracts
{
    public const string ModuleName = "Inventory";
}

/// <summary>Every line of the order holds its stock.</summary>
[IntegrationEvent("inventory.stock-reserved")]
public sealed record StockReserved(Guid OrderId) : IIntegrationEvent;

/// <summary>At least one line could not be held, so none is. Names the products that fell short.</summary>
[IntegrationEvent("inventory.stock-reservation-rejected")]
public sealed record StockReservationRejected(Guid OrderId, IReadOnlyList<Guid> ShortProductIds) : IIntegrationEvent;
