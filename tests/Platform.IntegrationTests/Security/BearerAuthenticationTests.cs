using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Authentication runs once for a request with credentials, and not at all for one without.</summary>
public sealed class BearerAuthenticationTests : IDisposable
{
    private readonly PlatformFactory _factory;
    private int _tokenReads;

    public BearerAuthenticationTests()
    {
        // Every bearer handler that authenticates reads the token first: count those reads.
        _factory = new PlatformFactory().WithServices(services => services.PostConfigureAll<JwtBearerOptions>(options =>
        {
            var read = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = context =>
            {
                Interlocked.Increment(ref _tokenReads);
                return read(context);
            };
        }));
    }

    [Fact]
    public async Task A_request_without_credentials_is_not_authenticated_at_all()
    {
        var anonymous = _factory.CreateClient();

        (await anonymous.GetAsync("/api/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);

        _tokenReads.Should().Be(0);
    }

    [Fact]
    public async Task A_request_with_a_token_is_authenticated_once()
    {
        var customer = await _factory.CreateCustomerClientAsync();
        var before = _tokenReads;

        (await customer.GetAsync("/api/identity/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (_tokenReads - before).Should().Be(1, "one authentication middleware, not a second one WebApplication adds by itself");
    }

    public void Dispose() => _factory.Dispose();
}
