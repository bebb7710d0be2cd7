using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 15: any host forwards <c>/api/&lt;module&gt;/…</c> of a module it does not host to that module's process,
/// with the caller's token, trace and address, and answers a problem quickly when that process is down.
/// The other process is a stand-in here, so the test sees exactly what arrives.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private FakeProcess _catalog = null!;
    private PlatformFactory _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _catalog = await FakeProcess.StartAsync();
        var port = HostProcess.FreePort();
        _gateway = StandIns.IdentityOnly(_catalog.Url);
        _gateway.UseKestrel(port);
        _gateway.StartServer();
        _client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/") };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _gateway.Dispose();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task A_request_for_a_module_hosted_elsewhere_arrives_there_with_the_callers_token_trace_context_and_address()
    {
        _catalog.Answer = context => Results.Json(new { served = "by the catalog process" }, statusCode: 201).ExecuteAsync(context);
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/products?source=test") { Content = new StringContent("{\"name\":\"Lamp\"}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "the-callers-token");
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.Content.ReadAsStringAsync()).Should().Contain("by the catalog process");
        var arrived = _catalog.Requests.Should().ContainSingle().Subject;
        arrived.Method.Should().Be("POST");
        arrived.Path.Should().Be("/api/catalog/products?source=test");
        arrived.Body.Should().Be("{\"name\":\"Lamp\"}");
        arrived.Headers["Authorization"].Should().Be("Bearer the-callers-token", "the module's own process checks the caller");
        arrived.Headers["traceparent"].Should().Contain(traceId.ToHexString(), "the module's spans join the caller's trace");
        arrived.Headers["X-Forwarded-For"].Should().Be("127.0.0.1", "rate limits there stay per client");
        arrived.Headers["X-Forwarded-Proto"].Should().Be("http");
    }

    [Fact]
    public async Task Internal_routes_and_modules_hosted_here_are_never_forwarded()
    {
        // Catalog is not hosted here, so its internal route does not exist here either, however the path is dressed up.
        await (await _client.PostAsync("/internal/catalog/queries/catalog.product-snapshots", new StringContent("{}"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await _client.GetAsync("/api/catalog/..%2F..%2Finternal/catalog/queries/catalog.product-snapshots");
        await _client.GetAsync("/api/catalog/%2E%2E/%2E%2E/internal/openapi/v1.json");
        _catalog.Requests.Should().OnlyContain(r => r.Path.StartsWith("/api/catalog/", StringComparison.Ordinal) && !r.Path.StartsWith("/api/catalog/../", StringComparison.Ordinal),
            "only /api/catalog/… is ever forwarded, and it arrives as /api/catalog/…, where the process's own routing keeps it");
        _catalog.Requests.Clear();
        await (await _client.GetAsync("/internal/openapi/v1.json")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await _client.PostAsync("/api/identity/login", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        _catalog.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_request_a_gateway_already_forwarded_is_not_forwarded_again()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Add("Platform-Forwarded", "1");

        await (await _client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.LoopDetected);

        _catalog.Requests.Should().BeEmpty("two processes that each think the other hosts a module must not pass a request round");
    }

    [Fact]
    public async Task When_the_modules_process_is_down_the_gateway_answers_a_problem_within_a_second_and_its_own_modules_keep_working()
    {
        (await _client.GetAsync("/api/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK, "warm: the route works while the process is up");
        await _catalog.StopAsync();
        var clock = Stopwatch.StartNew();

        using var down = await _client.GetAsync("/api/catalog/products");

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        var problem = await down.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        problem.GetProperty("detail").GetString().Should().Contain("cannot be reached").And.NotContain(_catalog.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var token = (await (await _client.LoginAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK)).AccessToken;
        (await _client.GetWithTokenAsync("/api/identity/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
