using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Benchmarks.Api;

// Measures the published host from outside, the way issue 10 states its targets:
//   read path: GET /api/catalog/products/{id} against the read floor's raw-SQLite and EF Core endpoints (wrk -c32);
//   start-up: process start to /health/live 200 on an existing data folder;
//   working set after the load run;
//   catalog search p50 at each catalog size, for a selective word (5 matches) and a common one (10 % of products).
//   --orders: the order saga instead (OrderFlow), at the rates of --rates for --seconds each.
//   --topologies: the order saga on one process and on README's three processes over RabbitMQ, side by side.
var options = BenchmarkOptions.Parse(args);
if (args.Contains("--orders") || args.Contains("--topologies"))
{
    var rates = (args.SkipWhile(a => a != "--rates").Skip(1).FirstOrDefault() ?? "50,100,200,400").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
    if (args.Contains("--topologies"))
    {
        await Topologies.RunAsync(options.HostDirectory, options.HostPort, rates, options.Seconds);
    }
    else
    {
        await OrderFlow.RunAsync(options.HostDirectory, options.HostPort, rates, options.Seconds);
    }

    return;
}

var report = new Report();
var productId = Guid.Empty;
var data = Path.Combine(Path.GetTempPath(), "platform-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
Console.WriteLine($"data folder {data}");

try
{
    await ReadPathAsync();
    await StartupAsync();
    await SearchAsync();
}
finally
{
    Directory.Delete(data, recursive: true);
}

report.Print();
if (options.Svg is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Svg))!);
    await File.WriteAllTextAsync(options.Svg, report.ToSvg());
    Console.WriteLine($"chart written to {options.Svg}");
}

async Task ReadPathAsync()
{
    await using var host = await HostRun.StartAsync(options.HostDirectory, data, options.HostPort);
    await host.WaitReadyAsync();
    using var client = host.Client();
    await client.SignInAsAdminAsync();
    productId = await client.CreateProductAsync("READ-1", "Widget", "A thing");

    await using var floor = options.FloorDirectory is null ? null : await HostRun.StartFloorAsync(options.FloorDirectory, Path.Combine(data, "catalog.db"), options.FloorPort, productId);
    var targets = new List<(string Name, string Url)>();
    if (floor is not null)
    {
        targets.Add(("raw SQLite floor", $"{floor.BaseUrl}/bare/products/{productId}"));
        targets.Add(("EF Core floor", $"{floor.BaseUrl}/ef/products/{productId}"));
    }

    targets.Add(("Platform", $"{host.BaseUrl}/api/catalog/products/{productId}"));
    for (var round = 1; round <= options.Rounds; round++)
    {
        var rates = new Dictionary<string, double>();
        foreach (var (name, url) in targets)
        {
            var rate = await Wrk.RequestsPerSecondAsync(url, options.Seconds);
            Console.WriteLine($"round {round}: {name,-18} {rate,10:N0} req/s");
            rates[name] = rate;
        }

        // The first round warms every process up; each later one puts the targets side by side within seconds,
        // so a burst of load from elsewhere on a shared machine moves one round's ratio, not the median.
        if (round > 1 || options.Rounds == 1)
        {
            report.ReadRounds.Add(rates);
        }
    }

    report.WorkingSetMb = host.WorkingSetMb();
}

async Task StartupAsync()
{
    for (var run = 0; run < options.StartupRuns; run++)
    {
        var watch = Stopwatch.StartNew();
        await using var host = await HostRun.StartAsync(options.HostDirectory, data, options.HostPort);
        var live = watch.Elapsed.TotalMilliseconds;
        await host.WaitReadyAsync();
        report.ReadyMs.Add(watch.Elapsed.TotalMilliseconds);
        using var client = host.Client();
        (await client.GetAsync($"/api/catalog/products/{productId}")).EnsureSuccessStatusCode();
        var answered = watch.Elapsed.TotalMilliseconds;
        report.StartupMs.Add(live);
        report.FirstAnswerMs.Add(answered);
        Console.WriteLine($"start-up {run + 1}: /health/live after {live:N0} ms, first product read after {answered:N0} ms");
    }
}

async Task SearchAsync()
{
    var seeded = 0;
    foreach (var size in options.SearchSizes)
    {
        seeded = await CatalogSeed.GrowAsync(Path.Combine(data, "catalog.db"), seeded, size);
        await using var host = await HostRun.StartAsync(options.HostDirectory, data, options.HostPort);
        using var client = host.Client();
        var selective = await Latency.P50Async(client, $"/api/catalog/products?search={CatalogSeed.SelectiveWord}", options.SearchSamples, CatalogSeed.SelectiveMatches);
        var common = await Latency.P50Async(client, $"/api/catalog/products?search={CatalogSeed.CommonWord}", options.SearchSamples, size / CatalogSeed.CommonEvery);
        report.Search.Add((size, selective, common));
        Console.WriteLine($"search at {size:N0}: selective p50 {selective:N2} ms, common p50 {common:N2} ms");
    }
}

internal sealed record BenchmarkOptions(
    string HostDirectory, string? FloorDirectory, int Seconds, int Rounds, int StartupRuns, int[] SearchSizes, int SearchSamples, string? Svg,
    int HostPort, int FloorPort)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var host = Value("--host") ?? throw new ArgumentException("--host <folder of the published Platform.Host.dll> is required");
        return new BenchmarkOptions(
            host,
            Value("--floor"),
            int.Parse(Value("--seconds") ?? "4", CultureInfo.InvariantCulture),
            int.Parse(Value("--rounds") ?? "4", CultureInfo.InvariantCulture),
            int.Parse(Value("--startup-runs") ?? "5", CultureInfo.InvariantCulture),
            (Value("--sizes") ?? "1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Value("--samples") ?? "100", CultureInfo.InvariantCulture),
            Value("--svg"),
            int.Parse(Value("--port") ?? "5180", CultureInfo.InvariantCulture),
            int.Parse(Value("--floor-port") ?? "5190", CultureInfo.InvariantCulture));
    }
}

internal static class Latency
{
    public static async Task<double> P50Async(HttpClient client, string path, int samples, int expectedTotal)
    {
        for (var warm = 0; warm < 10; warm++)
        {
            await client.GetStringAsync(path);
        }

        using var first = JsonDocument.Parse(await client.GetStringAsync(path));
        var total = first.RootElement.GetProperty("totalCount").GetInt32();
        if (total != expectedTotal)
        {
            throw new InvalidOperationException($"{path} found {total} products, expected {expectedTotal}");
        }

        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}

internal static class AdminClient
{
    public static Task SignInAsAdminAsync(this HttpClient client) => client.SignInAsync("admin@platform.local", "Dev-Admin-Password-1");

    /// <summary>Signs in and sends the access token with every later request of this client.</summary>
    public static async Task SignInAsync(this HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/identity/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    public static async Task<Guid> CreateProductAsync(this HttpClient client, string sku, string name, string description)
    {
        var response = await client.PostAsJsonAsync("/api/catalog/products",
            new { sku, name, description, category = "Tools", price = new { amount = 9.99m, currency = "EUR" } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
