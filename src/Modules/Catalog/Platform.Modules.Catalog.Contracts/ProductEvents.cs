using Platform.Shared.Abstractions;

namespace Platform.Modules.Catalog.Contracts;

/// <summary>A product was added to the catalog (Inventory starts tracking its stock).</summary>
[IntegrationEvent("catalog.product-created")]
public sealed record ProductCreated(Guid ProductId, string Sku, string Name, decimal UnitPrice, string Currency) : IIntegrationEvent;

/// <summary>
/// A product's price changed. Carries the product's version so a subscriber that keeps a copy can
/// ignore an older change arriving after a newer one.
/// </summary>
[IntegrationEvent("catalog.product-price-changed")]
public sealed record ProductPriceChanged(Guid ProductId, decimal UnitPrice, string Currency, decimal PreviousUnitPrice, string PreviousCurrency, int Version) : IIntegrationEvent;
