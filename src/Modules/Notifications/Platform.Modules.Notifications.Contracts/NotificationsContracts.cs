namespace Platform.Modules.Notifications.Contracts;

/// <summary>
/// Notifications publishes no events and answers no queries yet; this project is where they will go,
/// so other modules never need a reference to the module itself.
/// </summary>
public static class NotificationsContracts
{
    public const string ModuleName = "Notifications";
}
