using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Host;

public sealed class ModuleToggleTests : IDisposable
{
    // Every module that subscribes to an event of a disabled one, or asks it a query, goes too (the start-up
    // check refuses them, naming the setting): Inventory and Ordering use Catalog, Payments and
    // Notifications hear from Ordering. Identity stays and serves.
    private readonly PlatformFactory _factory = new PlatformFactory()
        .With("Modules:Catalog:Enabled", "false").With("Modules:Inventory:Enabled", "false").With("Modules:Ordering:Enabled", "false")
        .With("Modules:Payments:Enabled", "false").With("Modules:Notifications:Enabled", "false");

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
        File.Exists(Path.Combine(_factory.DataDirectory, "ordering.db")).Should().BeFalse();
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsync("/api/identity/login", JsonContent.Create(new { email = PlatformFactory.AdminEmail, password = PlatformFactory.AdminPassword })))
            .StatusCode.Should().Be(HttpStatusCode.OK, "the module still hosted serves");
    }

    public void Dispose() => _factory.Dispose();
}
