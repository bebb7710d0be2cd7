using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Platform.IntegrationTests.Inventory;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests.Ordering;

/// <summary>
/// The shipped host as a real process, placing orders at a steady rate, killed with SIGKILL mid-stream and
/// started again on the same folder. Afterwards every order settles, none is doubled or paid twice, and
/// the stock adds up.
/// </summary>
public sealed class OrderCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PlaceFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Orders_placed_across_a_kill_all_settle_once_with_stock_and_payments_that_add_up()
    {
        using var folder = new TempDataFolder();
        var settings = new Dictionary<string, string>
        {
            ["Identity:PasswordHashIterations"] = "1000",
            ["Messaging:RetryBaseDelay"] = "00:00:00.100",
            ["Messaging:RetryMaxDelay"] = "00:00:01",
            ["Messaging:LeaseDuration"] = "00:00:03",
        };
        await using var host = await HostProcess.StartAsync(HostProcess.PlatformHost, folder.Path, settings);
        var admin = await SignedInAsync(host, PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);
        const int ScarceUnits = 25;
        var scarce = await admin.ProductAsync(price: 3m, onHand: ScarceUnits);
        var plenty = await admin.ProductAsync(price: 2m, onHand: 100_000);
        var customers = new List<HttpClient>();
        for (var i = 0; i < 8; i++)
        {
            var email = IdentityApi.NewEmail();
            (await host.Client.RegisterAsync(email)).EnsureSuccessStatusCode();
            customers.Add(await SignedInAsync(host, email, PlatformFactory.CustomerPassword));
        }

        // Requests go out at a steady rate without waiting for each other, so some are in flight when the process dies.
        var placements = new List<Task<(HttpClient Customer, string Key, object[] Lines, Guid? Id)>>();
        var watch = Stopwatch.StartNew();
        var killed = false;
        for (var n = 0; watch.Elapsed < PlaceFor; n++)
        {
            if (!killed && watch.Elapsed > KillAt)
            {
                killed = true;
                await host.KillAsync();
                await host.StartAsync();
            }

            var customer = customers[n % customers.Count];
            object[] lines = n % 2 == 0 ? [OrderingApi.Line(scarce, 1)] : [OrderingApi.Line(plenty, 2), OrderingApi.Line(scarce, 1)];
            placements.Add(TryPlaceAsync(customer, $"crash-{n}", lines));
            await Task.Delay(25);
        }

        killed.Should().BeTrue();
        var accepted = new List<Guid>();
        var retried = 0;
        foreach (var (customer, key, lines, id) in await Task.WhenAll(placements))
        {
            if (id is { } placed)
            {
                accepted.Add(placed);
                continue;
            }

            // The kill cut the request: the client does not know whether it was stored, and retries with its key.
            retried++;
            accepted.Add((await (await customer.PlaceAsync(key, lines)).ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id);
        }

        var orders = await Eventually.MatchAsync(() => AllOrdersAsync(admin), all => all.All(o => o.IsFinal), TimeSpan.FromSeconds(90),
            "every order reaches a final state after the restart");
        output.WriteLine($"{accepted.Count} accepted ({retried} retried after the kill): " +
            string.Join(", ", orders.GroupBy(o => (o.Status, o.CancellationReason)).Select(g => $"{g.Key}: {g.Count()}")));

        orders.Select(o => o.Id).Should().Contain(accepted, "every 202 is an order that settled");
        accepted.Distinct().Should().HaveCount(accepted.Count, "no request placed two orders");
        orders.Count.Should().Be(accepted.Count, "nothing was placed that no client was told about twice");
        var confirmed = orders.Where(o => o.Status == "Confirmed").ToList();
        confirmed.Should().NotBeEmpty();
        foreach (var order in orders)
        {
            var ledger = await OrderingApi.LedgerOfAsync(folder.Path, order.Id);
            (ledger.Charged - ledger.Refunded).Should().Be(order.Status == "Confirmed" ? 1 : 0, $"order {order.Id} ({order.Status}) is paid exactly once or not at all");
        }

        (await PaymentOrdersAsync(folder.Path)).Should().BeEquivalentTo(orders.Select(o => o.Id), "Payments knows every order, and no other");
        var scarceTaken = confirmed.Sum(o => o.Lines.Where(l => l.ProductId == scarce).Sum(l => l.Quantity));
        var plentyTaken = confirmed.Sum(o => o.Lines.Where(l => l.ProductId == plenty).Sum(l => l.Quantity));
        await admin.StockEventuallyAsync(scarce, new Stock(scarce, ScarceUnits - scarceTaken, 0, ScarceUnits - scarceTaken));
        await admin.StockEventuallyAsync(plenty, new Stock(plenty, 100_000 - plentyTaken, 0, 100_000 - plentyTaken));
        SqliteConnection.ClearAllPools();
    }

    private static async Task<(HttpClient, string, object[], Guid?)> TryPlaceAsync(HttpClient customer, string key, object[] lines)
    {
        try
        {
            using var response = await customer.PlaceAsync(key, lines);
            return (customer, key, lines, response.StatusCode == HttpStatusCode.Accepted ? (await response.Content.ReadFromJsonAsync<Order>())!.Id : null);
        }
        catch (HttpRequestException)
        {
            return (customer, key, lines, null);
        }
    }

    private static async Task<HttpClient> SignedInAsync(HostProcess host, string email, string password)
    {
        var tokens = await (await host.Client.LoginAsync(email, password)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    private static async Task<List<Order>> AllOrdersAsync(HttpClient admin)
    {
        var all = new List<Order>();
        for (var page = 1; ; page++)
        {
            var batch = await (await admin.GetAsync($"{OrderingApi.Orders}?page={page}&pageSize=100")).ReadAsAsync<OrderPage>(HttpStatusCode.OK);
            all.AddRange(batch.Items);
            if (all.Count >= batch.TotalCount || batch.Items.Count == 0)
            {
                return all;
            }
        }
    }

    private static async Task<List<Guid>> PaymentOrdersAsync(string folder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "payments.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT OrderId FROM Payments";
        var orders = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            orders.Add(reader.GetGuid(0));
        }

        return orders;
    }
}
