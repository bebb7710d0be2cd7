using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Authentication runs once for a request with credentials, and not at all for one without.</summary>
public sealed class BearerAuthenticationTests : IDisposable
{
    private readonly PlatformFactory _factory;
    private int _authentications;

    public BearerAuthenticationTests()
    {
        // Every authentication middleware asks the authentication service: count those calls.
        _factory = new PlatformFactory().WithServices(services =>
        {
            services.TryAddScoped<AuthenticationService>();
            services.Replace(ServiceDescriptor.Scoped<IAuthenticationService>(provider =>
                new Counting(provider.GetRequiredService<AuthenticationService>(), () => Interlocked.Increment(ref _authentications))));
        });
    }

    [Fact]
    public async Task A_request_without_credentials_is_not_authenticated_at_all()
    {
        var anonymous = _factory.CreateClient();

        (await anonymous.GetAsync("/api/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);

        _authentications.Should().Be(0);
    }

    [Fact]
    public async Task A_request_with_a_token_is_authenticated_once()
    {
        var customer = await _factory.CreateCustomerClientAsync();
        var before = _authentications;

        (await customer.GetAsync("/api/identity/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (_authentications - before).Should().Be(1, "one authentication middleware, not a second one WebApplication adds by itself");
    }

    public void Dispose() => _factory.Dispose();

    private sealed class Counting(IAuthenticationService inner, Action authenticated) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            authenticated();
            return inner.AuthenticateAsync(context, scheme);
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            inner.SignInAsync(context, scheme, principal, properties);

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
    }
}
