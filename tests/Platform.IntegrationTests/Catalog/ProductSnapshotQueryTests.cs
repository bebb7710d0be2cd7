using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using Platform.Modules.Catalog.Contracts;
using Platform.Shared.ContractQueries;

namespace Platform.IntegrationTests.Catalog;

public sealed class ProductSnapshotQueryTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private readonly HttpClient _client = factory.CreateAdminClientAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task Another_module_gets_current_prices_through_the_contract_query()
    {
        var kept = await _client.CreateAsync(CatalogApi.NewProduct(amount: 3.5m, currency: "CHF"));
        var retired = await _client.CreateAsync(CatalogApi.NewProduct(amount: 7m));
        (await _client.PostAsync($"{CatalogApi.Products}/{retired.Id}/deactivate", null)).EnsureSuccessStatusCode();
        var unknown = Guid.NewGuid();

        var moduleClient = factory.Services.GetRequiredService<IModuleClient>();
        var snapshots = await moduleClient.SendAsync(new GetProductSnapshots([kept.Id, retired.Id, unknown, kept.Id]), CancellationToken.None);

        snapshots.Should().BeEquivalentTo(new[]
        {
            new ProductSnapshot(kept.Id, kept.Sku, kept.Name, 3.5m, "CHF", IsActive: true),
            new ProductSnapshot(retired.Id, retired.Sku, retired.Name, 7m, "EUR", IsActive: false),
        });
    }
}
