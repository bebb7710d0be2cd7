namespace Platform.Modules.Ordering.Domain;

/// <summary>Where an order stands in the saga. Stored by name, so the numbers can never drift.</summary>
internal enum OrderStatus
{
    /// <summary>Accepted and priced; Inventory has not answered yet.</summary>
    Pending,

    /// <summary>Every line holds its stock; the charge is under way.</summary>
    StockReserved,

    /// <summary>Stock held and paid. Final unless the customer or an administrator cancels it.</summary>
    Confirmed,

    /// <summary>Final: see the reason.</summary>
    Cancelled,
}
