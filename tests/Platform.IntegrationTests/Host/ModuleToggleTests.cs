using System.Net;
using System.Text.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Host;

public sealed class ModuleToggleTests : IDisposable
{
    // Inventory subscribes to Catalog's events and asks its queries, so it goes too (the start-up check
    // refuses Inventory without Catalog, naming the setting).
    private readonly PlatformFactory _factory = new PlatformFactory().With("Modules:Catalog:Enabled", "false").With("Modules:Inventory:Enabled", "false");

    [Fact]
    public async Task A_disabled_module_has_no_routes_no_swagger_operations_no_database_and_the_host_still_serves()
    {
        var client = _factory.CreateClient();

        await (await client.GetAsync("/api/catalog/products")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/catalog/products", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var swagger = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        swagger.GetProperty("paths").EnumerateObject().Select(p => p.Name)
            .Should().NotContain(path => path.StartsWith("/api/catalog", StringComparison.Ordinal));

        var ready = JsonDocument.Parse(await client.GetStringAsync("/health/ready")).RootElement;
        ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().NotContain("catalog-database");
        File.Exists(Path.Combine(_factory.DataDirectory, "catalog.db")).Should().BeFalse();
        File.Exists(Path.Combine(_factory.DataDirectory, "inventory.db")).Should().BeFalse();
    }

    public void Dispose() => _factory.Dispose();
}
