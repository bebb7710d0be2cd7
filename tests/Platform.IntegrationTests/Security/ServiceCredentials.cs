using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Issue 14: credentials between services, and revocation that reaches another process within its bound.</summary>
public sealed class ServiceCredentials
{
    public const string CatalogHost = "catalog-host";
    public const string CatalogHostSecret = "catalog-host-secret-0123456789abcdef0123456789";
    public const string PaymentsHost = "payments-host";
    public const string PaymentsHostSecret = "payments-host-secret-0123456789abcdef012345678";

    /// <summary>What Identity's process is given: each service's secret hash, and the modules it may call.</summary>
    public static IReadOnlyDictionary<string, string> IdentitySettings => new Dictionary<string, string>
    {
        ["Identity:PasswordHashIterations"] = "1000",
        [$"Identity:Services:{CatalogHost}:SecretHash"] = Hash(CatalogHostSecret),
        [$"Identity:Services:{CatalogHost}:Audiences:0"] = "Identity",
        [$"Identity:Services:{PaymentsHost}:SecretHash"] = Hash(PaymentsHostSecret),
        [$"Identity:Services:{PaymentsHost}:Audiences:0"] = "Catalog",
    };

    [Fact]
    public async Task Only_a_registered_service_with_its_own_secret_gets_a_token_and_only_for_the_modules_it_may_call()
    {
        using var factory = WithServices(new PlatformFactory());
        var client = factory.CreateClient();

        (await TokenAsync(client, CatalogHost, "wrong-secret-0123456789abcdef0123456789", "Identity")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(client, "stranger", CatalogHostSecret, "Identity")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(client, CatalogHost, CatalogHostSecret, "Catalog")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await TokenAsync(client, PaymentsHost, CatalogHostSecret, "Catalog")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "one service's secret is not another's");

        var token = await IssuedAsync(client, CatalogHost, CatalogHostSecret, "Identity");
        var jwt = new JsonWebToken(token);
        jwt.Audiences.Should().Equal("platform-internal:identity");
        jwt.Subject.Should().Be(CatalogHost);
        jwt.GetClaim("token_use").Value.Should().Be("service");
    }

    [Fact]
    public async Task Internal_endpoints_refuse_anonymous_callers_user_tokens_and_tokens_for_another_module()
    {
        using var factory = WithServices(new PlatformFactory());
        var client = factory.CreateClient();
        var admin = await factory.CreateAdminClientAsync();
        var adminToken = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var session = new JsonWebToken(adminToken);
        var question = new { userId = session.Subject, sessionId = session.GetClaim("sid").Value, stamp = session.GetClaim("sst").Value };
        Task<HttpResponseMessage> AskAsync(string? token)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/internal/identity/access") { Content = JsonContent.Create(question) };
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return client.SendAsync(request);
        }

        var forIdentity = await IssuedAsync(client, CatalogHost, CatalogHostSecret, "Identity");
        var forCatalog = await IssuedAsync(client, PaymentsHost, PaymentsHostSecret, "Catalog");

        await (await AskAsync(null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await AskAsync(adminToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await AskAsync(forCatalog)).StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        var answer = await (await AskAsync(forIdentity)).ReadAsAsync<SessionAnswer>(HttpStatusCode.OK);
        answer.Valid.Should().BeTrue();
        answer.Roles.Should().Contain("Admin");

        await (await client.GetWithTokenAsync("/api/identity/me", forIdentity)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // The process's API document for a gateway: a service's, never a user's.
        await (await client.GetAsync("/internal/openapi/v1.json")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetWithTokenAsync("/internal/openapi/v1.json", adminToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await (await client.GetWithTokenAsync("/internal/openapi/v1.json", forIdentity)).Content.ReadAsStringAsync()).Should().Contain("\"openapi\"").And.Contain("/api/identity/login");
    }

    [Fact]
    public async Task A_sign_out_everywhere_reaches_a_process_without_Identity_within_its_bound()
    {
        using var folder = new TempDataFolder();
        await using var identity = await HostProcess.StartAsync(HostProcess.PlatformHost, folder.Path, IdentitySettings);
        using var catalog = SigningKeyTests.CatalogOnly(identity.BaseAddress).With("Security:SessionCheck:CacheDuration", "00:00:02");
        var token = await SigningKeyTests.AdminTokenAsync(identity);
        (await SigningKeyTests.CreateProductAsync(catalog, token)).StatusCode.Should().Be(HttpStatusCode.Created);

        var signedOut = DateTimeOffset.UtcNow;
        (await identity.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/identity/logout-everywhere")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token) },
        })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await Eventually.MatchAsync(async () => (await SigningKeyTests.CreateProductAsync(catalog, token)).StatusCode, status => status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the other process asks Identity again once its 2 s answer is stale");
        (DateTimeOffset.UtcNow - signedOut).Should().BeLessThan(TimeSpan.FromSeconds(6), "the bound is the configured 2 s, plus a request");
    }

    [Fact]
    public async Task A_process_whose_credential_Identity_refuses_refuses_user_tokens_and_says_so_in_readiness()
    {
        using var folder = new TempDataFolder();
        await using var identity = await HostProcess.StartAsync(HostProcess.PlatformHost, folder.Path, IdentitySettings);
        using var catalog = SigningKeyTests.CatalogOnly(identity.BaseAddress).With("Service:Secret", "a-wrong-secret-0123456789abcdef0123456789");
        var token = await SigningKeyTests.AdminTokenAsync(identity);

        await (await SigningKeyTests.CreateProductAsync(catalog, token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var ready = System.Text.Json.JsonDocument.Parse(await (await catalog.CreateClient().GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement;
        var reach = ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "identity-reach");
        reach.GetProperty("status").GetString().Should().Be("Unhealthy");
        reach.GetProperty("description").GetString().Should().Contain("refuses this process's service credential");
        catalog.Logs.Lines.Should().Contain(l => l.Contains("refuses this process's service credential", StringComparison.Ordinal));
    }

    [Fact]
    public void A_process_without_Identity_needs_a_service_credential_of_its_own()
    {
        using var factory = SigningKeyTests.CatalogOnly(new Uri("http://127.0.0.1:9")).With("Service:Name", null).With("Service:Secret", null);

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("Service:Name and Service:Secret");
    }

    private static PlatformFactory WithServices(PlatformFactory factory)
    {
        foreach (var (key, value) in IdentitySettings)
        {
            factory.With(key, value);
        }

        return factory;
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient client, string id, string secret, string audience) =>
        client.PostAsJsonAsync("/internal/identity/token", new { clientId = id, clientSecret = secret, audience });

    private static async Task<string> IssuedAsync(HttpClient client, string id, string secret, string audience) =>
        (await (await TokenAsync(client, id, secret, audience)).ReadAsAsync<Issued>(HttpStatusCode.OK)).AccessToken;

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private sealed record Issued(string AccessToken, int ExpiresIn);

    private sealed record SessionAnswer(bool Valid, List<string> Roles, string? Reason);
}
