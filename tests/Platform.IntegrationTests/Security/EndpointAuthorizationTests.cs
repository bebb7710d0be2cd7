using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using Platform.Shared.Security;

namespace Platform.IntegrationTests.Security;

/// <summary>
/// Every endpoint of the running host, read from its endpoint data source: a new endpoint cannot
/// slip in anonymous, and every protected one is proven to refuse callers without a token or role.
/// </summary>
public sealed class EndpointAuthorizationTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    /// <summary>The reviewed list of endpoints anyone may call. Adding to it is a security decision.</summary>
    private static readonly HashSet<string> AnonymousAllowList =
    [
        "GET /health/live",
        "GET /health/ready",
        "GET /.well-known/jwks.json",
        "GET /.well-known/openid-configuration",
        "POST /internal/identity/token",
        "GET /api/catalog/products",
        "GET /api/catalog/products/{id:guid}",
        "POST /api/identity/register",
        "POST /api/identity/login",
        "POST /api/identity/refresh",
    ];

    [Fact]
    public void Only_allow_listed_endpoints_are_anonymous()
    {
        var anonymous = Endpoints().Where(e => e.Anonymous).Select(e => e.Key).ToList();

        anonymous.Should().BeEquivalentTo(AnonymousAllowList,
            "an endpoint is anonymous only on purpose; review it and add it to the allow-list if it truly is public");
    }

    [Fact]
    public void Every_endpoint_is_a_route_endpoint_the_authorization_check_applies_to()
    {
        // Authorization waves through anything but route endpoints (routing's own 405/415 rejections).
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Should().AllBeOfType<RouteEndpoint>("an endpoint of another kind would skip authorization");
    }

    [Fact]
    public async Task Every_protected_endpoint_refuses_a_caller_without_a_token()
    {
        var client = factory.CreateClient();
        var protectedEndpoints = Endpoints().Where(e => !e.Anonymous).ToList();
        protectedEndpoints.Should().NotBeEmpty();

        foreach (var endpoint in protectedEndpoints)
        {
            var response = await client.SendAsync(endpoint.Request());
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, endpoint.Key);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public void Internal_endpoints_live_outside_the_public_api_and_take_only_service_tokens()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var internalOnes = endpoints.Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("internal/", StringComparison.Ordinal)).ToList();
        internalOnes.Should().NotBeEmpty();

        // A gateway forwards /api/<module>/… only: nothing internal can be reached that way.
        endpoints.Where(e => e.RoutePattern.RawText!.Contains("internal", StringComparison.OrdinalIgnoreCase))
            .Should().OnlyContain(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("internal/", StringComparison.Ordinal));
        foreach (var endpoint in internalOnes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Should().Contain(a => a.Policy != null && a.Policy.StartsWith("service:", StringComparison.Ordinal),
                $"{endpoint.RoutePattern.RawText} must take service tokens only");
        }

        internalOnes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText)
            .Should().BeEquivalentTo(["/internal/identity/token"], "only the token endpoint, where a service shows its secret, is open");
    }

    [Fact]
    public async Task Every_admin_endpoint_refuses_a_customer()
    {
        var customer = await factory.CreateCustomerClientAsync();
        var adminEndpoints = Endpoints().Where(e => e.AdminOnly).ToList();
        adminEndpoints.Should().HaveCountGreaterThanOrEqualTo(6, "catalog writes and user administration are Admin-only");

        foreach (var endpoint in adminEndpoints)
        {
            var response = await customer.SendAsync(endpoint.Request());
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, endpoint.Key);
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    private List<EndpointUnderTest> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new EndpointUnderTest(
                    method,
                    "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                    endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == PlatformPolicies.Admin || a.Roles == PlatformRoles.Admin))))
            .ToList();

    private sealed record EndpointUnderTest(string Method, string Pattern, bool Anonymous, bool AdminOnly)
    {
        public string Key => $"{Method} {Pattern}";

        /// <summary>A request any handler would reject as invalid, so only authorization can explain the status.</summary>
        public HttpRequestMessage Request()
        {
            var url = System.Text.RegularExpressions.Regex.Replace(Pattern, "{[^}]+}", Guid.NewGuid().ToString());
            return new HttpRequestMessage(new HttpMethod(Method), url)
            {
                Content = Method is "POST" or "PUT" or "PATCH" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
            };
        }
    }
}
