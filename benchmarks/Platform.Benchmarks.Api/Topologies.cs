using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Benchmarks.Api;

/// <summary>
/// The order saga on both topologies in one run (issue 16): one process with events in process, and README's
/// three processes (gateway with Identity and Catalog; Ordering and Inventory; Payments and Notifications) with
/// events over the local RabbitMQ, loaded only through the gateway. Same loads, same published host.
/// </summary>
internal static class Topologies
{
    public static async Task RunAsync(string hostDirectory, int port, int[] rates, int seconds)
    {
        var one = await MeasureAsync("one process", hostDirectory, port, rates, seconds, split: false);
        var three = await MeasureAsync("three processes", hostDirectory, port, rates, seconds, split: true);

        Console.WriteLine();
        Console.WriteLine("| offered | one process: confirmed/s | p50 | p99 | three processes: confirmed/s | p50 | p99 | throughput ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var rate in rates)
        {
            var a = one[rate];
            var b = three[rate];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {rate}/s | {a.PerSecond:N0}/s ({a.Reached}/{a.Placed}) | {a.P50Ms:N0} ms | {a.P99Ms:N0} ms | {b.PerSecond:N0}/s ({b.Reached}/{b.Placed}) | {b.P50Ms:N0} ms | {b.P99Ms:N0} ms | {(a.PerSecond > 0 ? b.PerSecond / a.PerSecond : 0):N2}× |"));
        }
    }

    private static async Task<Dictionary<int, OrderFlow.LoadResult>> MeasureAsync(string name, string hostDirectory, int port, int[] rates, int seconds, bool split)
    {
        var data = Path.Combine(Path.GetTempPath(), "platform-topology-" + Guid.NewGuid().ToString("N")[..8]);
        var hosts = new List<HostRun>();
        try
        {
            var common = new Dictionary<string, string> { ["RateLimiting:Credentials:PermitLimit"] = "100000" };
            if (!split)
            {
                Directory.CreateDirectory(data);
                hosts.Add(await HostRun.StartAsync(hostDirectory, data, port, common));
            }
            else
            {
                hosts.AddRange(await StartSplitAsync(hostDirectory, data, port, common));
            }

            foreach (var host in hosts)
            {
                await host.WaitReadyAsync();
            }

            Console.WriteLine($"== {name}");
            var results = await OrderFlow.ConfirmedLoadsAsync(hosts[0], rates, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"working set: {string.Join(" + ", hosts.Select(h => $"{h.WorkingSetMb():N0}"))} MB"));
            return results;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>README's "Topologies" example (what scripts/run-split.sh starts); the gateway first in the list.</summary>
    private static async Task<List<HostRun>> StartSplitAsync(string hostDirectory, string data, int port, Dictionary<string, string> common)
    {
        const string ordersSecret = "bench-orders-secret-0123456789abcdef0123456789";
        const string paymentsSecret = "bench-payments-secret-0123456789abcdef012345678";
        var layout = new (string Name, int Port, string[] Modules, string? Secret)[]
        {
            ("gateway", port, ["Identity", "Catalog"], null),
            ("orders", port + 1, ["Ordering", "Inventory"], ordersSecret),
            ("payments", port + 2, ["Payments", "Notifications"], paymentsSecret),
        };
        var shared = new Dictionary<string, string>(common)
        {
            ["Messaging:Transport"] = "RabbitMQ",
            ["Messaging:RabbitMQ:QueuePrefix"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Identity:Services:orders:SecretHash"] = Hash(ordersSecret),
            ["Identity:Services:orders:Audiences:0"] = "Identity",
            ["Identity:Services:orders:Audiences:1"] = "Catalog",
            ["Identity:Services:payments:SecretHash"] = Hash(paymentsSecret),
            ["Identity:Services:payments:Audiences:0"] = "Identity",
        };
        shared["Messaging:RabbitMQ:Exchange"] = shared["Messaging:RabbitMQ:QueuePrefix"] + ".events";
        shared["Messaging:RabbitMQ:AlternateExchange"] = shared["Messaging:RabbitMQ:QueuePrefix"] + ".unroutable";
        shared["Messaging:RabbitMQ:DeadLetterExchange"] = shared["Messaging:RabbitMQ:QueuePrefix"] + ".dead-letters";
        foreach (var process in layout)
        {
            foreach (var module in process.Modules)
            {
                shared[$"Modules:{module}:Url"] = $"http://127.0.0.1:{process.Port}/";
            }
        }

        var started = layout.Select(process =>
        {
            var own = new Dictionary<string, string>(shared);
            foreach (var module in layout.Where(p => p.Name != process.Name).SelectMany(p => p.Modules))
            {
                own[$"Modules:{module}:Enabled"] = "false";
            }

            if (process.Secret is not null)
            {
                own["Service:Name"] = process.Name;
                own["Service:Secret"] = process.Secret;
            }

            var folder = Path.Combine(data, process.Name);
            Directory.CreateDirectory(folder);
            return HostRun.StartAsync(hostDirectory, folder, process.Port, own);
        });
        return [.. await Task.WhenAll(started)];
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
