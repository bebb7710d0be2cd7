using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Shared.Security;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>Issue 15: the owner's side, <c>POST /internal/&lt;module&gt;/queries/{name}</c>, takes service tokens for that module only.</summary>
public sealed class ContractQueryEndpointTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private const string SnapshotsPath = "/internal/catalog/queries/catalog.product-snapshots";

    private string ServiceToken(string module) =>
        factory.Services.GetRequiredService<IServiceTokenIssuer>().Issue("test-service", module).AccessToken;

    private Task<HttpResponseMessage> AskAsync(string path, object? body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_service_token_for_the_owner_gets_the_answer_by_the_querys_wire_name()
    {
        var product = await (await factory.CreateAdminClientAsync()).CreateAsync();

        var answer = await (await AskAsync(SnapshotsPath, new { productIds = new[] { product.Id } }, ServiceToken("Catalog")))
            .ReadAsAsync<List<ProductSnapshot>>(HttpStatusCode.OK);

        answer.Should().ContainSingle().Which.ProductId.Should().Be(product.Id);
    }

    [Fact]
    public async Task Nobody_but_a_service_holding_a_token_for_the_owner_is_answered()
    {
        var question = new { productIds = Array.Empty<Guid>() };
        var admin = (await factory.CreateAdminClientAsync()).DefaultRequestHeaders.Authorization!.Parameter!;

        await (await AskAsync(SnapshotsPath, question, null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await AskAsync(SnapshotsPath, question, admin)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await AskAsync(SnapshotsPath, question, ServiceToken("Ordering"))).StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_query_name_is_a_501_problem_and_a_malformed_query_a_400_problem()
    {
        await (await AskAsync("/internal/catalog/queries/catalog.no-such-query", new { }, ServiceToken("Catalog"))).ShouldBeProblemAsync(HttpStatusCode.NotImplemented);
        await (await AskAsync(SnapshotsPath, new { productIds = "not a list" }, ServiceToken("Catalog"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await AskAsync(SnapshotsPath, null, ServiceToken("Catalog"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_owners_refusal_is_a_problem_document()
    {
        var tooMany = Enumerable.Range(0, GetProductSnapshots.MaxProducts + 1).Select(_ => Guid.NewGuid()).ToArray();

        await (await AskAsync(SnapshotsPath, new { productIds = tooMany }, ServiceToken("Catalog"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
