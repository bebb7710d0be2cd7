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
            .With($"Identity:Services:{CommerceService}:SecretHash", GatewayClient.Hash(CommerceSecret))
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

    /// <summary>API clients of the gateway, as clients outside would have.</summary>
    public GatewayClient Api => new(GatewayUrl);

    public HttpClient Client(string? accessToken = null) => Api.Client(accessToken);

    public Task<string> TokenAsync(string email, string password) => Api.TokenAsync(email, password);

    public Task<HttpClient> AdminAsync() => Api.AdminAsync();

    public Task<HttpClient> CustomerAsync(string? email = null) => Api.CustomerAsync(email);

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
