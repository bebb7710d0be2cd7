using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Benchmarks.Api;

/// <summary>
/// The order saga under a steady, open-loop load through the HTTP API of one published host (SQLite):
/// orders go out at a fixed rate whatever the answers' speed, and each order's placement-to-outcome time
/// is read from its own status history (server clock, both ends), so polling adds nothing to it.
/// Two loads: orders that confirm (stock plenty, charge succeeds) and orders that are rejected (no stock).
/// </summary>
internal static class OrderFlow
{
    private const int Customers = 32;

    public static async Task RunAsync(string hostDirectory, int port, int[] rates, int seconds)
    {
        var data = Path.Combine(Path.GetTempPath(), "platform-orders-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var results = new List<(string Load, int Rate, LoadResult Result)>();
        try
        {
            // The customers all sign up from this one address: lift the per-client sign-up limit (the only setting changed).
            await using var host = await HostRun.StartAsync(hostDirectory, data, port,
                new Dictionary<string, string> { ["RateLimiting:Credentials:PermitLimit"] = "100000" });
            await host.WaitReadyAsync();
            using var admin = host.Client();
            await admin.SignInAsAdminAsync();
            var plenty = await admin.CreateProductAsync("ORDER-PLENTY", "Plentiful widget", "Always in stock");
            var none = await admin.CreateProductAsync("ORDER-NONE", "Rare widget", "Never in stock");
            (await admin.PutAsJsonAsync($"/api/inventory/stock/{plenty}", new { onHand = 100_000_000 })).EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync($"/api/inventory/stock/{none}", new { onHand = 0 })).EnsureSuccessStatusCode();
            var customers = await CustomersAsync(host);
            Console.WriteLine($"{Customers} customers signed in; {seconds} s per load");
            // Warm-up, not counted: the first orders pay for JIT, connection pools and EF Core's first queries.
            Console.WriteLine($"warm-up (not counted): {await LoadAsync(admin, customers, plenty, "Confirmed", 50, 5)}");

            foreach (var rate in rates)
            {
                foreach (var (load, product, outcome) in new[] { ("confirmed", plenty, "Confirmed"), ("rejected (out of stock)", none, "Cancelled") })
                {
                    var result = await LoadAsync(admin, customers, product, outcome, rate, seconds);
                    results.Add((load, rate, result));
                    Console.WriteLine($"{load,-24} offered {rate,4}/s: {result}");
                }
            }

            Console.WriteLine($"working set after the order loads: {host.WorkingSetMb():N0} MB");
            customers.ForEach(c => c.Dispose());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| load | offered | reached the outcome | placement → outcome p50 | p99 | refused requests |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (load, rate, r) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {load} | {rate}/s | {r.PerSecond:N0}/s ({r.Reached}/{r.Placed}) | {r.P50Ms:N0} ms | {r.P99Ms:N0} ms | {r.Refused} {r.Refusals} |"));
        }
    }

    /// <summary>Orders that confirm at each rate through <paramref name="host"/> (a warm-up first, not counted).</summary>
    public static async Task<Dictionary<int, LoadResult>> ConfirmedLoadsAsync(HostRun host, int[] rates, int seconds)
    {
        using var admin = host.Client();
        await admin.SignInAsAdminAsync();
        var plenty = await admin.CreateProductAsync("ORDER-PLENTY", "Plentiful widget", "Always in stock");
        (await admin.PutAsJsonAsync($"/api/inventory/stock/{plenty}", new { onHand = 100_000_000 })).EnsureSuccessStatusCode();
        var customers = await CustomersAsync(host);
        Console.WriteLine($"warm-up (not counted): {await LoadAsync(admin, customers, plenty, "Confirmed", 50, 5)}");
        var results = new Dictionary<int, LoadResult>();
        foreach (var rate in rates)
        {
            results[rate] = await LoadAsync(admin, customers, plenty, "Confirmed", rate, seconds);
            Console.WriteLine($"confirmed, offered {rate,4}/s: {results[rate]}");
        }

        customers.ForEach(c => c.Dispose());
        return results;
    }

    private static async Task<List<HttpClient>> CustomersAsync(HostRun host)
    {
        var clients = new List<HttpClient>();
        for (var i = 0; i < Customers; i++)
        {
            var client = host.Client();
            var email = $"bench-{Guid.NewGuid():N}@example.com";
            const string password = "Tulip-Gravel-Orbit-42";
            (await client.PostAsJsonAsync("/api/identity/register", new { email, password, displayName = "Bench" })).EnsureSuccessStatusCode();
            await client.SignInAsync(email, password);
            clients.Add(client);
        }

        return clients;
    }

    private static async Task<LoadResult> LoadAsync(HttpClient admin, List<HttpClient> customers, Guid product, string outcome, int rate, int seconds)
    {
        var total = rate * seconds;
        var placements = new List<Task<(Guid? Id, string? Refusal, double AnsweredMs)>>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            placements.Add(PlaceAsync(customers[i % customers.Count], product));
        }

        var answers = await Task.WhenAll(placements);
        var ids = answers.Select(a => a.Id).OfType<Guid>().ToHashSet();
        var answered = answers.Select(a => a.AnsweredMs).Order().ToList();
        var refusals = string.Join(", ", answers.Where(a => a.Refusal is not null).GroupBy(a => a.Refusal).Select(g => $"{g.Key} x{g.Count()}"));
        var orders = await SettledAsync(admin, ids);
        var latencies = new List<double>();
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        DateTimeOffset? first = null, last = null;
        foreach (var order in orders)
        {
            var history = order.GetProperty("history").EnumerateArray().ToList();
            for (var h = 1; h < history.Count; h++)
            {
                var stage = $"{history[h - 1].GetProperty("status").GetString()} -> {history[h].GetProperty("status").GetString()}";
                var took = (history[h].GetProperty("at").GetDateTimeOffset() - history[h - 1].GetProperty("at").GetDateTimeOffset()).TotalMilliseconds;
                (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(took);
            }

            var placedAt = history[0].GetProperty("at").GetDateTimeOffset();
            var end = history.LastOrDefault(h => h.GetProperty("status").GetString() == outcome);
            if (end.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var endAt = end.GetProperty("at").GetDateTimeOffset();
            latencies.Add((endAt - placedAt).TotalMilliseconds);
            first = first is null || placedAt < first ? placedAt : first;
            last = last is null || endAt > last ? endAt : last;
        }

        latencies.Sort();
        var breakdown = string.Create(CultureInfo.InvariantCulture, $"placement answered p50 {Percentile(answered, 0.5):N0} ms p99 {Percentile(answered, 0.99):N0} ms; ") + string.Join("; ", stages.Select(kv =>
        {
            kv.Value.Sort();
            return string.Create(CultureInfo.InvariantCulture, $"{kv.Key} p50 {Percentile(kv.Value, 0.5):N0} ms p99 {Percentile(kv.Value, 0.99):N0} ms");
        }));
        var span = first is null ? 0 : (last!.Value - first.Value).TotalSeconds;
        return new LoadResult(total, total - ids.Count, refusals, latencies.Count, span > 0 ? latencies.Count / span : 0,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), breakdown);
    }

    private static async Task<(Guid?, string?, double)> PlaceAsync(HttpClient customer, Guid product)
    {
        var watch = Stopwatch.StartNew();
        var (id, refusal) = await SendPlacementAsync(customer, product);
        return (id, refusal, watch.Elapsed.TotalMilliseconds);
    }

    private static async Task<(Guid?, string?)> SendPlacementAsync(HttpClient customer, Guid product)
    {
        try
        {
            using var response = await customer.PostAsJsonAsync("/api/ordering/orders", new { lines = new[] { new { productId = product, quantity = 1 } } });
            return response.StatusCode == HttpStatusCode.Accepted
                ? ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), null)
                : (null, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException exception)
        {
            return (null, exception.HttpRequestError.ToString());
        }
        catch (TaskCanceledException)
        {
            return (null, "timeout");
        }
    }

    /// <summary>
    /// Waits until no order is open, asking only for the count of open ones (so the wait itself puts no load
    /// on the process that runs the saga), then reads the load's orders with their histories once.
    /// </summary>
    private static async Task<List<JsonElement>> SettledAsync(HttpClient admin, HashSet<Guid> ids)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            var open = 0;
            foreach (var status in new[] { "Pending", "StockReserved" })
            {
                open += (await admin.GetFromJsonAsync<JsonElement>($"/api/ordering/orders?status={status}&pageSize=1")).GetProperty("totalCount").GetInt32();
            }

            if (open == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await admin.GetFromJsonAsync<JsonElement>($"/api/ordering/orders?page={page}&pageSize=100");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items.Where(o => ids.Contains(o.GetProperty("id").GetGuid())));
            if (items.Count < 100)
            {
                return all;
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <param name="Stages">Where the time went: p50/p99 of each step of the orders' status histories.</param>
    internal sealed record LoadResult(int Placed, int Refused, string Refusals, int Reached, double PerSecond, double P50Ms, double P99Ms, string Stages)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Reached}/{Placed} reached the outcome at {PerSecond:N0}/s, p50 {P50Ms:N0} ms, p99 {P99Ms:N0} ms, {Refused} refused {Refusals}\n    stages: {Stages}");
    }
}
