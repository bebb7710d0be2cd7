namespace Platform.Modules.Ordering.Contracts;

/// <summary>
/// What other modules may know of Ordering: the order saga's events. No module ever references
/// Ordering itself. See docs/ordering.md for the whole flow.
/// </summary>
public static class OrderingContracts
{
    public const string ModuleName = "Ordering";
}

/// <summary>Why an order ended cancelled; the wire values of <see cref="OrderCancelled.Reason"/>.</summary>
public static class OrderCancellationReasons
{
    public const string OutOfStock = "OutOfStock";
    public const string PaymentDeclined = "PaymentDeclined";
    public const string CustomerCancelled = "CustomerCancelled";
    public const string TimedOut = "TimedOut";
}
