using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Catalog;

public sealed class ReadProductTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private readonly HttpClient _client = factory.CreateAdminClientAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task An_unknown_product_is_a_404_problem()
    {
        var response = await _client.GetAsync($"{CatalogApi.Products}/{Guid.NewGuid()}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain("was not found");
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("123")]
    public async Task A_malformed_id_is_a_404_problem(string id)
    {
        var response = await _client.GetAsync($"{CatalogApi.Products}/{id}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_matches_name_sku_and_description_ignoring_case()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var byName = await _client.CreateAsync(new { sku = $"N-{tag}", name = $"Blue {tag} kettle", category = "Kitchen", price = new { amount = 20m, currency = "EUR" } });
        var bySku = await _client.CreateAsync(new { sku = $"KX-{tag}", name = "Pan", category = "Kitchen", price = new { amount = 20m, currency = "EUR" } });
        var byDescription = await _client.CreateAsync(new { sku = $"D-{tag}x", name = "Pot", description = $"fits the {tag.ToUpperInvariant()} lid", category = "Kitchen", price = new { amount = 20m, currency = "EUR" } });

        var page = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={tag.ToUpperInvariant()}");

        page!.Items.Select(p => p.Id).Should().BeEquivalentTo([byName.Id, bySku.Id, byDescription.Id]);
        page.TotalCount.Should().Be(3);
    }

    [Fact]
    public async Task Search_treats_like_wildcards_as_plain_text()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await _client.CreateAsync(new { sku = $"W-{tag}", name = $"100% {tag} cotton", category = "Textiles", price = new { amount = 5m, currency = "EUR" } });
        await _client.CreateAsync(new { sku = $"V-{tag}", name = $"1000 {tag} threads", category = "Textiles", price = new { amount = 5m, currency = "EUR" } });

        var page = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={Uri.EscapeDataString("100%")}&category=textiles");

        page!.Items.Should().ContainSingle().Which.Name.Should().StartWith("100%");
    }

    [Fact]
    public async Task Pages_are_stable_ordered_by_name_and_filtered_by_category()
    {
        var category = "Cat-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in new[] { "Delta", "Alpha", "Charlie", "Bravo", "Echo" })
        {
            await _client.CreateAsync(CatalogApi.NewProduct(name: name, category: category));
        }

        var first = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?category={category.ToUpperInvariant()}&page=1&pageSize=2");
        var second = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?category={category}&page=2&pageSize=2");
        var third = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?category={category}&page=3&pageSize=2");

        first!.TotalCount.Should().Be(5);
        first.Items.Select(p => p.Name).Should().Equal("Alpha", "Bravo");
        second!.Items.Select(p => p.Name).Should().Equal("Charlie", "Delta");
        third!.Items.Select(p => p.Name).Should().Equal("Echo");
        (third.Page, third.PageSize).Should().Be((3, 2));
    }

    [Fact]
    public async Task Defaults_apply_when_paging_is_not_given()
    {
        var page = await _client.GetFromJsonAsync<ProductPage>(CatalogApi.Products);

        (page!.Page, page.PageSize).Should().Be((1, 20));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=1.5", "pageSize")]
    [InlineData("includeInactive=maybe", "includeInactive")]
    [InlineData("page=99999999999", "page")]
    public async Task Bad_paging_or_flags_are_a_400_naming_the_field(string query, string field)
    {
        var response = await _client.GetAsync($"{CatalogApi.Products}?{query}");

        await response.ShouldHaveFieldErrorsAsync(field);
    }

    [Fact]
    public async Task An_overlong_search_is_a_400()
    {
        var response = await _client.GetAsync($"{CatalogApi.Products}?search={new string('x', 101)}");

        await response.ShouldHaveFieldErrorsAsync("search");
    }
}
