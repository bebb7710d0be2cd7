namespace Platform.Testing;

/// <summary>
/// README's three-process topology (what <c>scripts/run-split.sh</c> starts) as real processes of the host on
/// loopback, each with its own data folder, events over a RabbitMQ namespace of their own. Clients use only
/// <see cref="GatewayUrl"/>.
/// </summary>
public sealed class SplitProcesses : IAsyncDisposable
{
    public const string OrdersSecret = "orders-secret-0123456789abcdef0123456789abcdef";
    public const string PaymentsSecret = "payments-secret-0123456789abcdef0123456789abcdef";

    private static readonly (string Name, string[] Modules)[] Layout =
    [
        ("gateway", ["Identity", "Catalog"]),
        ("orders", ["Ordering", "Inventory"]),
        ("payments", ["Payments", "Notifications"]),
    ];

    private readonly TempDataFolder _folder = new();
    private readonly Dictionary<string, HostProcess> _processes = new(StringComparer.Ordinal);

    private SplitProcesses()
    {
    }

    public TestBroker Broker { get; } = new();

    public HostProcess Gateway => _processes["gateway"];

    /// <summary>Ordering and Inventory.</summary>
    public HostProcess Orders => _processes["orders"];

    /// <summary>Payments and Notifications.</summary>
    public HostProcess Payments => _processes["payments"];

    public Uri GatewayUrl => Gateway.BaseAddress;

    /// <summary>Starts the three processes; <paramref name="settings"/> go to every one of them, as README's shared settings do.</summary>
    public static async Task<SplitProcesses> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var split = new SplitProcesses();
        try
        {
            var ports = Layout.ToDictionary(p => p.Name, _ => HostProcess.FreePort(), StringComparer.Ordinal);
            var common = new Dictionary<string, string>(split.Broker.Settings, StringComparer.Ordinal)
            {
                ["Identity:Services:orders:SecretHash"] = GatewayClient.Hash(OrdersSecret),
                ["Identity:Services:orders:Audiences:0"] = "Identity",
                ["Identity:Services:orders:Audiences:1"] = "Catalog",
                ["Identity:Services:payments:SecretHash"] = GatewayClient.Hash(PaymentsSecret),
                ["Identity:Services:payments:Audiences:0"] = "Identity",
            };
            foreach (var (name, modules) in Layout)
            {
                foreach (var module in modules)
                {
                    common[$"Modules:{module}:Url"] = $"http://127.0.0.1:{ports[name]}/";
                }
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                common[key] = value;
            }

            var started = Layout.Select(async process =>
            {
                var own = new Dictionary<string, string>(common, StringComparer.Ordinal);
                foreach (var module in Layout.Where(p => p.Name != process.Name).SelectMany(p => p.Modules))
                {
                    own[$"Modules:{module}:Enabled"] = "false";
                }

                if (process.Name != "gateway")
                {
                    own["Service:Name"] = process.Name;
                    own["Service:Secret"] = process.Name == "orders" ? OrdersSecret : PaymentsSecret;
                }

                var folder = Path.Combine(split._folder.Path, process.Name);
                Directory.CreateDirectory(folder);
                var host = await HostProcess.StartAsync(HostProcess.PlatformHost, folder, own, ports[process.Name]);
                lock (split._processes)
                {
                    split._processes[process.Name] = host; // recorded as each starts: a failed start still stops the others
                }
            });
            await Task.WhenAll(started);

            return split;
        }
        catch
        {
            await split.DisposeAsync();
            throw;
        }
    }

    /// <summary>API clients of the gateway, as clients outside would have.</summary>
    public GatewayClient Api => new(GatewayUrl);

    public Task<HttpClient> AdminAsync() => Api.AdminAsync();

    public Task<HttpClient> CustomerAsync() => Api.CustomerAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            await process.DisposeAsync();
        }

        await Broker.DeleteAsync(TestBroker.SubscribingModules);
        _folder.Dispose();
    }
}
