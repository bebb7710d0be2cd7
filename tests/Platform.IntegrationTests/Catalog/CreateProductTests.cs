using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Testing;

namespace Platform.IntegrationTests.Catalog;

public sealed class CreateProductTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private readonly HttpClient _client = factory.CreateAdminClientAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task Creating_a_product_returns_201_with_its_location_and_stores_it()
    {
        var response = await _client.PostAsJsonAsync(CatalogApi.Products,
            new { sku = "tool-42", name = "  Hammer ", description = "Steel", category = "Tools", price = new { amount = 12.5m, currency = "usd" } });

        var created = await response.ReadAsAsync<Product>(HttpStatusCode.Created);
        created.Sku.Should().Be("TOOL-42");
        created.Name.Should().Be("Hammer");
        created.Price.Should().Be(new Money(12.5m, "USD"));
        created.IsActive.Should().BeTrue();
        response.Headers.Location!.ToString().Should().Be($"/api/catalog/products/{created.Id}");

        var fetched = await _client.GetFromJsonAsync<Product>(response.Headers.Location);
        fetched.Should().BeEquivalentTo(created);
    }

    [Fact]
    public async Task A_duplicate_sku_in_any_letter_case_is_a_409_and_leaves_the_first_product_unchanged()
    {
        var first = await _client.CreateAsync(CatalogApi.NewProduct(sku: "dup-sku-1", name: "First"));

        var response = await _client.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct(sku: "DUP-sku-1", name: "Second"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain("DUP-SKU-1");
        (await _client.GetFromJsonAsync<Product>($"{CatalogApi.Products}/{first.Id}"))!.Name.Should().Be("First");
    }

    public static TheoryData<string, string[]> InvalidBodies => new()
    {
        { """{}""", ["sku", "name", "category", "price"] },
        { """{"sku":"","name":"","category":"","price":{"amount":1,"currency":"EUR"}}""", ["sku", "name", "category"] },
        { """{"sku":"has space","name":"n","category":"c","price":{"amount":1,"currency":"EUR"}}""", ["sku"] },
        { """{"sku":"-lead","name":"n","category":"c","price":{"amount":1,"currency":"EUR"}}""", ["sku"] },
        { $$$"""{"sku":"{{{new string('A', 65)}}}","name":"n","category":"c","price":{"amount":1,"currency":"EUR"}}""", ["sku"] },
        { $$$"""{"sku":"ok","name":"{{{new string('n', 201)}}}","category":"{{{new string('c', 101)}}}","price":{"amount":1,"currency":"EUR"}}""", ["name", "category"] },
        { $$$"""{"sku":"ok","name":"n","description":"{{{new string('d', 2001)}}}","category":"c","price":{"amount":1,"currency":"EUR"}}""", ["description"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":0,"currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":-5,"currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1.001,"currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1000000000.01,"currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1,"currency":"EU"}}""", ["price.currency"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1,"currency":"XYZ"}}""", ["price.currency"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1}}""", ["price.currency"] },
        { """{"sku":"ok","name":"n","category":"c","price":null}""", ["price"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":"ten","currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":5,"name":"n","category":"c","price":{"amount":1,"currency":"EUR"}}""", ["sku"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1e400,"currency":"EUR"}}""", ["price.amount"] },
        { """{"sku":"ok", "name":""", ["name"] },
        { """[1,2,3]""", ["$"] },
        { """not json at all""", ["$"] },
        { """{"sku":"ok","name":"n","category":"c","price":{"amount":1,"currency":"EUR"},"extra":""" + new string('[', 100) + new string(']', 100) + "}", ["extra"] },
        { """{"sku":"ok","name":"n","category":["c"],"price":{"amount":1,"currency":"EUR"}}""", ["category"] },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_input_is_a_400_naming_each_bad_field(string json, string[] fields)
    {
        var response = await _client.PostAsync(CatalogApi.Products, new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldHaveFieldErrorsAsync(fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task An_empty_or_null_body_is_a_400_problem(string body)
    {
        var response = await _client.PostAsync(CatalogApi.Products, new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_a_400_problem_naming_the_content_type(string contentType)
    {
        var response = await _client.PostAsync(CatalogApi.Products, new StringContent("sku=x", Encoding.UTF8, contentType));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("application/json");
    }

    [Fact]
    public async Task A_rejected_product_is_not_stored()
    {
        var response = await _client.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct(sku: "never-stored", amount: 0));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var page = await _client.GetFromJsonAsync<ProductPage>($"{CatalogApi.Products}?search=never-stored&includeInactive=true");
        page!.TotalCount.Should().Be(0);
    }
}
