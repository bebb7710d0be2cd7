using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>Issue 15: the gateway's Swagger document is one document over every module, local and remote.</summary>
[Collection(SplitFixture.Collection)]
public sealed class MergedApiDocumentTests(SplitFixture fixture)
{
    private static readonly string[] Modules = ["Catalog", "Identity", "Inventory", "Notifications", "Ordering", "Payments"];

    [Fact]
    public async Task The_gateways_document_shows_every_modules_operations_and_passes_redocly_lint()
    {
        using var client = fixture.Split.Client();
        var json = await client.GetStringAsync("/swagger/v1/swagger.json");
        var document = JsonDocument.Parse(json).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Select(p => p.Split('/')[2]).Distinct().Should().BeEquivalentTo(Modules.Select(m => m.ToLowerInvariant()));
        paths.Should().Contain(["/api/ordering/orders", "/api/inventory/stock/{productId}", "/api/catalog/products"]).And.NotContain(p => p.StartsWith("/internal", StringComparison.Ordinal));
        var tags = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("tags")[0].GetString());
        tags.Distinct().Should().BeEquivalentTo(Modules);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var reference in json.Split("\"$ref\":\"#/components/schemas/").Skip(1).Select(r => r[..r.IndexOf('"', StringComparison.Ordinal)]).Distinct())
        {
            schemas.TryGetProperty(reference, out _).Should().BeTrue($"{reference} is referenced, so the merged document must define it");
        }

        var file = Path.Combine(fixture.Split.Gateway.DataDirectory, "merged-swagger.json");
        await File.WriteAllTextAsync(file, json);
        (await OpenApiLint.RunAsync(file)).Where(p => p.Severity == "error").Should().BeEmpty();
    }

    [Fact]
    public async Task A_process_that_was_down_shows_up_in_the_document_once_it_is_back()
    {
        var port = HostProcess.FreePort();
        using var gateway = StandIns.IdentityOnly(new Uri($"http://127.0.0.1:{port}/"));
        var client = gateway.CreateClient();

        var withoutCatalog = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        withoutCatalog["paths"]!.AsObject().Select(p => p.Key).Should().NotContain(p => p.StartsWith("/api/catalog", StringComparison.Ordinal));
        withoutCatalog["info"]!["description"]!.GetValue<string>().Should().Contain("Not shown for now: Catalog");

        await using var catalog = await FakeProcess.StartAsync(port);
        catalog.Answer = context => context.Request.Path == "/internal/openapi/v1.json"
            ? Results.Text(CatalogDocument, "application/json").ExecuteAsync(context)
            : Results.NotFound().ExecuteAsync(context);

        var withCatalog = await Eventually.MatchAsync(async () => JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!,
            document => document["paths"]!.AsObject().ContainsKey("/api/catalog/things"), TimeSpan.FromSeconds(10), "the document is read again soon after the process returns");
        withCatalog["paths"]!.AsObject().Select(p => p.Key).Should().NotContain(["/api/identity/not-from-there", "/internal/catalog/queries"],
            "only the remote module's own public paths are taken from its process");
        withCatalog["components"]!["schemas"]!["Thing"].Should().NotBeNull();
        withCatalog["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Contain("Catalog");
        catalog.Requests.Should().AllSatisfy(r => r.Headers["Authorization"].Should().StartWith("Bearer "), "the document is read with a service token");
        (await client.GetAsync("/swagger/v1/swagger.json")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private const string CatalogDocument = """
        {
          "openapi": "3.0.4",
          "info": { "title": "Platform API", "version": "v1" },
          "paths": {
            "/api/catalog/things": { "get": { "tags": ["Catalog"], "summary": "Things.", "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } } } },
            "/api/identity/not-from-there": { "get": { "tags": ["Identity"], "responses": { "200": { "description": "OK" } } } },
            "/internal/catalog/queries": { "post": { "responses": { "200": { "description": "OK" } } } }
          },
          "components": { "schemas": { "Thing": { "type": "object", "properties": { "name": { "type": "string" } } } } },
          "tags": [ { "name": "Catalog" }, { "name": "Identity" } ]
        }
        """;
}
