using Platform.Testing;

namespace Platform.IntegrationTests.Split;

internal static class StandIns
{
    /// <summary>A host of Identity alone, which reaches Catalog at <paramref name="catalog"/> (a stand-in process, or nothing).</summary>
    public static PlatformFactory IdentityOnly(Uri catalog) => new PlatformFactory()
        .With("Modules:Catalog:Enabled", "false").With("Modules:Catalog:Url", catalog.ToString())
        .With("Modules:Inventory:Enabled", "false").With("Modules:Ordering:Enabled", "false")
        .With("Modules:Payments:Enabled", "false").With("Modules:Notifications:Enabled", "false");
}
