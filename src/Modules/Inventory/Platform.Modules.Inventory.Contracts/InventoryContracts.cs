namespace Platform.Modules.Inventory.Contracts;

/// <summary>
/// What other modules may know of Inventory. The order saga's events (stock reserved, reservation
/// failed) join it with the Ordering module; no module ever references Inventory itself.
/// </summary>
public static class InventoryContracts
{
    public const string ModuleName = "Inventory";
}
