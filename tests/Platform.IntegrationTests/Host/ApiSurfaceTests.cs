using System.Net;
using System.Text.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Host;

public sealed class ApiSurfaceTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Swagger_documents_every_operation_with_a_module_tag_a_summary_and_its_error_responses()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value)))
            .Where(op => op.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();

        operations.Should().HaveCountGreaterThanOrEqualTo(5);
        foreach (var (path, method, operation) in operations)
        {
            var because = $"{method.ToUpperInvariant()} {path} must be documented";
            var module = path.Split('/')[2];
            operation.GetProperty("tags")[0].GetString().Should().BeEquivalentTo(module, because);
            operation.GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace(because);
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            responses.Should().Contain(r => r.StartsWith('2'), because);
            responses.Should().Contain(r => r.StartsWith('4') && r != "401" && r != "403" || responses.Contains("401"), because);
        }
    }

    [Fact]
    public async Task The_openapi_document_passes_redocly_lint_with_no_errors()
    {
        var document = Path.Combine(factory.DataDirectory, "swagger.json");
        Directory.CreateDirectory(factory.DataDirectory);
        await File.WriteAllTextAsync(document, await _client.GetStringAsync("/swagger/v1/swagger.json"));

        var problems = await OpenApiLint.RunAsync(document);

        problems.Where(p => p.Severity == "error").Should().BeEmpty("client generators and gateways consume this document");
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await _client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Theory]
    [InlineData("/no/such/route")]
    [InlineData("/api/unknown-module/things")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        await (await _client.GetAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("POST", "/api/identity/register", "text/plain", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/identity/login", "application/xml", HttpStatusCode.BadRequest)]
    [InlineData("DELETE", "/api/identity/register", null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("PATCH", "/api/catalog/products", null, HttpStatusCode.MethodNotAllowed)]
    public async Task A_request_routing_rejects_gets_its_own_problem_not_a_401(string method, string path, string? contentType, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("email=x", System.Text.Encoding.UTF8, contentType);
        }

        await (await _client.SendAsync(request)).ShouldBeProblemAsync(status);
    }

    [Fact]
    public async Task Health_endpoints_answer_in_json_naming_each_check()
    {
        var live = JsonDocument.Parse(await _client.GetStringAsync("/health/live")).RootElement;
        var ready = JsonDocument.Parse(await _client.GetStringAsync("/health/ready")).RootElement;

        live.GetProperty("status").GetString().Should().Be("Healthy");
        ready.GetProperty("status").GetString().Should().Be("Healthy");
        ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain("catalog-database");
    }

    [Fact]
    public async Task Swagger_documents_the_bearer_scheme_and_401_403_where_they_apply()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("scheme").GetString().Should().Be("bearer");
        var paths = document.GetProperty("paths");

        var me = paths.GetProperty("/api/identity/me").GetProperty("get");
        me.GetProperty("security")[0].TryGetProperty("Bearer", out _).Should().BeTrue();
        me.GetProperty("responses").TryGetProperty("401", out _).Should().BeTrue();

        var create = paths.GetProperty("/api/catalog/products").GetProperty("post").GetProperty("responses");
        create.TryGetProperty("401", out _).Should().BeTrue();
        create.TryGetProperty("403", out _).Should().BeTrue();

        var browse = paths.GetProperty("/api/catalog/products").GetProperty("get");
        browse.GetProperty("security").EnumerateArray().Should().ContainSingle()
            .Which.EnumerateObject().Should().BeEmpty("browsing the catalog is anonymous, which an empty requirement states");
        browse.GetProperty("responses").TryGetProperty("401", out _).Should().BeFalse();
    }
}
