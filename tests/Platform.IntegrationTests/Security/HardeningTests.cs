using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

public sealed class HardeningTests
{
    [Fact]
    public async Task Credential_endpoints_are_rate_limited_per_client_with_a_429_problem_and_retry_after()
    {
        using var factory = new PlatformFactory().With("RateLimiting:Credentials:PermitLimit", "3");
        var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            (await client.LoginAsync(IdentityApi.NewEmail(), "whatever-password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var limited = await client.RegisterAsync(IdentityApi.NewEmail());
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        (await client.GetAsync("/api/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK, "only credential endpoints are limited");
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_limit()
    {
        using var factory = TwoLoginsPerClientBehindProxies("10.1.0.0/16", connectionFrom: "10.1.2.3");
        var client = factory.CreateClient();

        foreach (var clientAddress in new[] { "203.0.113.1", "203.0.113.2" })
        {
            for (var i = 0; i < 2; i++)
            {
                (await client.SendAsync(LoginFrom(clientAddress))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, clientAddress);
            }
        }

        await (await client.SendAsync(LoginFrom("203.0.113.1"))).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_caller_that_is_not_a_trusted_proxy_cannot_dodge_the_rate_limit_by_claiming_other_addresses()
    {
        using var factory = TwoLoginsPerClientBehindProxies("10.1.0.0/16", connectionFrom: "198.51.100.7");
        var client = factory.CreateClient();

        (await client.SendAsync(LoginFrom("203.0.113.1"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.SendAsync(LoginFrom("203.0.113.2"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await (await client.SendAsync(LoginFrom("203.0.113.3"))).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_an_address_stops_start_up_naming_the_setting()
    {
        using var factory = new PlatformFactory().With("Api:TrustedProxies:0", "gateway.internal");

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("Api:TrustedProxies").And.Contain("gateway.internal");
    }

    private static PlatformFactory TwoLoginsPerClientBehindProxies(string trustedProxies, string connectionFrom) => new PlatformFactory()
        .With("RateLimiting:Credentials:PermitLimit", "2")
        .With("Api:TrustedProxies:0", trustedProxies)
        .WithServices(ConnectionFrom.Address(connectionFrom));

    private static HttpRequestMessage LoginFrom(string clientAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/login")
        {
            Content = JsonContent.Create(new { email = IdentityApi.NewEmail(), password = "whatever-password" }),
        };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return request;
    }

    [Fact]
    public void No_data_protection_key_ring_is_loaded_or_written_at_start()
    {
        // Removed by its type name (decision 0009): if ASP.NET Core renames it, this fails instead of the removal silently doing nothing.
        using var factory = new PlatformFactory();

        factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
            .Select(service => service.GetType().Name)
            .Should().NotContain("DataProtectionHostedService").And.Contain("AdminAccountSeeder", "the list is the host's real one");
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var factory = new PlatformFactory();

        var response = await factory.CreateClient().GetAsync("/api/catalog/products");

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task Outside_development_https_responses_carry_hsts()
    {
        using var factory = PlatformFactory.Production().With("AllowedHosts", "shop.example.com");
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://shop.example.com") });

        var response = await client.GetAsync("/health/live");

        response.Headers.GetValues("Strict-Transport-Security").Single().Should().Contain("max-age=");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_and_nothing_is_stored()
    {
        using var factory = new PlatformFactory().With("Api:MaxRequestBodyBytes", "1024");
        var admin = await factory.CreateAdminClientAsync();
        var huge = new { sku = "BIG-1", name = "n", description = new string('d', 4000), category = "c", price = new { amount = 1m, currency = "EUR" } };

        var response = await admin.PostAsJsonAsync("/api/catalog/products", huge);

        // PostAsJsonAsync streams without a length; send a sized body too.
        var sized = await admin.PostAsync("/api/catalog/products", new StringContent(System.Text.Json.JsonSerializer.Serialize(huge), Encoding.UTF8, "application/json"));
        await sized.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        response.StatusCode.Should().NotBe(HttpStatusCode.Created);
        (await admin.GetStringAsync("/api/catalog/products?search=BIG-1&includeInactive=true")).Should().Contain("\"totalCount\":0");
    }

    [Fact]
    public async Task An_unhandled_error_never_shows_a_stack_trace_or_exception_message()
    {
        // The SQL Server host has no server: a database call fails deep inside SqlClient.
        using var factory = new PlatformFactory()
            .With("Database:Provider", "SqlServer")
            .With("Database:MigrateOnStartup", "false")
            .With("ConnectionStrings:Platform", "Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1");

        var response = await factory.CreateClient().GetAsync("/api/catalog/products");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        var body = problem.ToString();
        body.Should().NotContain("SqlException").And.NotContain("Microsoft.").And.NotContain("127.0.0.1");
    }
}
