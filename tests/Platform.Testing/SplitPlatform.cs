using System.Security.Cryptography;
using System.Text;

namespace Platform.Testing;

/// <summary>
/// The platform split over two hosts that talk only as separate processes would: over real sockets on
/// loopback, with events over RabbitMQ. The gateway hosts Identity and Catalog and is the one address
/// clients use; the commerce host runs Ordering, Inventory, Payments and Notifications and reaches Identity
/// and Catalog by URL, with a service credential of its own. Both run in the test's process, so a test
/// can read their services and their spans.
/// </summary>
public sealed class SplitPlatform : IDisposable
{
    public const string CommerceService = "commerce-host";
    public const string CommerceSecret = "commerce-host-secret-0123456789abcdef012345678";

    public static IReadOnlyList<string> GatewayModules { get; } = ["Identity", "Catalog"];

    public static IReadOnlyList<string> CommerceModules { get; } = ["Inventory", "Notifications", "Ordering", "Payments"];

    public SplitPlatform(Action<PlatformFactory>? configureGateway = null, Action<PlatformFactory>? configureCommerce = null)
    {
        Broker = new TestBroker();
        GatewayUrl = new Uri($"http://localhost:{HostProcess.FreePort()}/");
        CommerceUrl = new Uri($"http://localhost:{HostProcess.FreePort()}/");

        Gateway = Hosting(GatewayModules, CommerceModules, CommerceUrl)
            .With($"Identity:Services:{CommerceService}:SecretHash", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CommerceSecret))))
            .With($"Identity:Services:{CommerceService}:Audiences:0", "Identity")
            .With($"Identity:Services:{CommerceService}:Audiences:1", "Catalog");
        Commerce = Hosting(CommerceModules, GatewayModules, GatewayUrl)
            .With("Service:Name", CommerceService)
            .With("Service:Secret", CommerceSecret);
        configureGateway?.Invoke(Gateway);
        configureCommerce?.Invoke(Commerce);

        Gateway.UseKestrel(GatewayUrl.Port);
        Commerce.UseKestrel(CommerceUrl.Port);
        Gateway.StartServer();
        Commerce.StartServer();
    }

    public TestBroker Broker { get; }

    public Uri GatewayUrl { get; }

    public Uri CommerceUrl { get; }

    /// <summary>Identity and Catalog; the address clients use.</summary>
    public PlatformFactory Gateway { get; }

    /// <summary>Ordering, Inventory, Payments and Notifications.</summary>
    public PlatformFactory Commerce { get; }

    /// <summary>A client of the gateway, as an API client outside would have.</summary>
    public HttpClient Client(string? accessToken = null)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    public async Task<string> TokenAsync(string email, string password)
    {
        using var client = Client();
        var login = await client.LoginAsync(email, password);
        return (await login.ReadAsAsync<TokenPair>(System.Net.HttpStatusCode.OK)).AccessToken;
    }

    public async Task<HttpClient> AdminAsync() => Client(await TokenAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword));

    public async Task<HttpClient> CustomerAsync(string? email = null)
    {
        email ??= IdentityApi.NewEmail();
        using (var client = Client())
        {
            (await client.RegisterAsync(email)).EnsureSuccessStatusCode();
        }

        return Client(await TokenAsync(email, PlatformFactory.CustomerPassword));
    }

    private PlatformFactory Hosting(IReadOnlyList<string> hosted, IReadOnlyList<string> elsewhere, Uri url)
    {
        var factory = new PlatformFactory().WithBroker(Broker);
        foreach (var module in elsewhere)
        {
            factory.With($"Modules:{module}:Enabled", "false").With($"Modules:{module}:Url", url.ToString());
        }

        foreach (var module in hosted)
        {
            factory.With($"Modules:{module}:Enabled", "true");
        }

        return factory;
    }

    public void Dispose()
    {
        Commerce.Dispose();
        Gateway.Dispose();
        Broker.DeleteAsync(TestBroker.SubscribingModules).GetAwaiter().GetResult();
    }
}
