using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Testing;

namespace Platform.IntegrationTests.Catalog;

public sealed class ChangeProductTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private readonly HttpClient _client = factory.CreateAdminClientAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task Updating_changes_name_description_category_and_price_but_not_the_sku()
    {
        var product = await _client.CreateAsync();

        var response = await _client.PutAsJsonAsync($"{CatalogApi.Products}/{product.Id}",
            new { name = "Renamed", description = "New text", category = "Garden", price = new { amount = 15.25m, currency = "GBP" } });

        var updated = await response.ReadAsAsync<Product>(HttpStatusCode.OK);
        updated.Should().BeEquivalentTo(product with
        {
            Name = "Renamed", Description = "New text", Category = "Garden", Price = new Money(15.25m, "GBP"), Version = product.Version + 1,
        });
        (await _client.GetFromJsonAsync<Product>($"{CatalogApi.Products}/{product.Id}")).Should().BeEquivalentTo(updated);
    }

    [Fact]
    public async Task Updating_an_unknown_product_is_a_404()
    {
        var response = await _client.PutAsJsonAsync($"{CatalogApi.Products}/{Guid.NewGuid()}",
            new { name = "n", category = "c", price = new { amount = 1m, currency = "EUR" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_update_is_a_400_and_changes_nothing()
    {
        var product = await _client.CreateAsync();

        var response = await _client.PutAsJsonAsync($"{CatalogApi.Products}/{product.Id}",
            new { name = "", category = "c", price = new { amount = 1.234m, currency = "EUR" } });

        await response.ShouldHaveFieldErrorsAsync("name", "price.amount");
        (await _client.GetFromJsonAsync<Product>($"{CatalogApi.Products}/{product.Id}")).Should().BeEquivalentTo(product);
    }

    [Fact]
    public async Task A_malformed_update_body_is_a_400()
    {
        var product = await _client.CreateAsync();

        var response = await _client.PutAsync($"{CatalogApi.Products}/{product.Id}", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Deactivating_hides_a_product_from_the_default_listing_and_can_be_repeated()
    {
        var product = await _client.CreateAsync();

        var first = await (await _client.PostAsync($"{CatalogApi.Products}/{product.Id}/deactivate", null)).ReadAsAsync<Product>(HttpStatusCode.OK);
        var second = await (await _client.PostAsync($"{CatalogApi.Products}/{product.Id}/deactivate", null)).ReadAsAsync<Product>(HttpStatusCode.OK);

        first.IsActive.Should().BeFalse();
        second.Version.Should().Be(first.Version, "deactivating an inactive product changes nothing");
        var active = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={product.Sku}");
        var all = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={product.Sku}&includeInactive=true");
        active!.Items.Should().BeEmpty();
        all!.Items.Should().ContainSingle().Which.IsActive.Should().BeFalse();
        (await _client.GetFromJsonAsync<Product>($"{CatalogApi.Products}/{product.Id}"))!.IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task Deactivating_an_unknown_product_is_a_404()
    {
        var response = await _client.PostAsync($"{CatalogApi.Products}/{Guid.NewGuid()}/deactivate", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var response = await _client.DeleteAsync($"{CatalogApi.Products}/{Guid.NewGuid()}");

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}
