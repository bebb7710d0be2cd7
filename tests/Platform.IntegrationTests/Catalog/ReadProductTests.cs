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

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\"*")]
    [InlineData("NEAR(a b) OR")]
    public async Task Punctuation_and_query_syntax_are_never_wildcards_or_operators(string search)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await _client.CreateAsync(new { sku = $"W-{tag}", name = $"100% {tag} cotton", category = "Textiles", price = new { amount = 5m, currency = "EUR" } });

        var response = await _client.GetAsync($"{CatalogApi.Products}?search={Uri.EscapeDataString(search)}");

        var page = await response.ReadAsAsync<ProductPage>(HttpStatusCode.OK);
        page.Items.Should().NotContain(p => p.Name.Contains(tag), "text without letters or digits, or with operator words, matches as plain words");
        (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={Uri.EscapeDataString("100% " + tag)}"))!
            .Items.Should().ContainSingle().Which.Name.Should().StartWith("100%");
    }

    [Theory]
    [InlineData("NEAR OR {0}")]
    [InlineData("near\"or {0}")]
    [InlineData("\"near\" or* {0}")]
    public async Task Operator_words_and_quotes_are_searched_for_as_plain_words(string search)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var product = await _client.CreateAsync(new { sku = $"Q-{tag}", name = $"Near or far {tag}", category = "Words", price = new { amount = 5m, currency = "EUR" } });

        var page = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={Uri.EscapeDataString(string.Format(null, search, tag))}");

        page!.Items.Select(p => p.Id).Should().Equal(product.Id);
    }

    [Fact]
    public async Task Every_word_must_start_a_word_in_any_field_in_any_order_ignoring_case_and_accents()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var kettle = await _client.CreateAsync(new { sku = $"X-200-{tag}", name = "Café kettle", description = $"Stainless {tag}", category = "Kitchen", price = new { amount = 30m, currency = "EUR" } });
        await _client.CreateAsync(new { sku = $"Y-{tag}", name = "Café pot", category = "Kitchen", price = new { amount = 30m, currency = "EUR" } });

        async Task<List<Guid>> Search(string text) =>
            (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={Uri.EscapeDataString(text)}"))!.Items.Select(p => p.Id).ToList();

        (await Search($"{tag} KETT cafe")).Should().Equal(kettle.Id);
        (await Search($"stainless x-200 {tag}")).Should().Equal(kettle.Id);
        (await Search($"{tag} ettle")).Should().BeEmpty("a word matches the start of a word, not the middle");
    }

    [Fact]
    public async Task A_renamed_or_deactivated_product_is_found_by_what_it_is_now()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var product = await _client.CreateAsync(new { sku = $"R-{tag}", name = $"Old{tag} lamp", category = "Home", price = new { amount = 9m, currency = "EUR" } });

        (await _client.PutAsJsonAsync($"{CatalogApi.Products}/{product.Id}",
            new { name = $"New{tag} lamp", category = "Home", price = new { amount = 9m, currency = "EUR" } })).EnsureSuccessStatusCode();

        (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search=old{tag}"))!.TotalCount.Should().Be(0);
        (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search=new{tag}"))!.Items.Should().ContainSingle();
        (await _client.PostAsync($"{CatalogApi.Products}/{product.Id}/deactivate", null)).EnsureSuccessStatusCode();
        (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search=new{tag}"))!.TotalCount.Should().Be(0);
        (await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search=new{tag}&includeInactive=true"))!.Items.Should().ContainSingle();
    }

    [Fact]
    public async Task Relevance_puts_a_name_match_before_a_description_match_and_pages_with_a_total()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inDescription = await _client.CreateAsync(new { sku = $"A-{tag}", name = "Aardvark mug", description = $"mentions {tag} once", category = "Mugs", price = new { amount = 3m, currency = "EUR" } });
        var inName = await _client.CreateAsync(new { sku = $"Z-{tag}", name = $"Zebra {tag} mug", category = "Mugs", price = new { amount = 3m, currency = "EUR" } });

        var byName = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={tag}");
        var byRelevance = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search={tag}&sort=relevance&pageSize=1");

        byName!.Items.Select(p => p.Id).Should().Equal(inDescription.Id, inName.Id);
        byRelevance!.Items.Select(p => p.Id).Should().Equal(inName.Id);
        byRelevance.TotalCount.Should().Be(2);
    }

    [Theory]
    [InlineData("sort=price", "sort")]
    [InlineData("sort=relevance", "sort")]
    public async Task An_unknown_sort_or_relevance_without_a_search_is_a_400(string query, string field)
    {
        var response = await _client.GetAsync($"{CatalogApi.Products}?{query}");

        await response.ShouldHaveFieldErrorsAsync(field);
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
