using System.Diagnostics;
using System.Net;
using Platform.IntegrationTests.Inventory;
using Platform.IntegrationTests.Ordering;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 16: README's three processes under load while a process or the broker goes away. Every accepted order
/// reaches a final state, once; stock and payments add up. The test talks only to the gateway.
/// </summary>
[Collection(BrokerOutages.Collection)]
public sealed class SplitOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Units = 1_000;
    private SplitProcesses _split = null!;

    public async Task InitializeAsync() => _split = await SplitProcesses.StartAsync(OrderSagaScenario.CommerceSettings);

    public async Task DisposeAsync() => await _split.DisposeAsync();

    [Fact]
    public async Task While_a_modules_process_is_down_the_gateway_answers_a_problem_at_once_the_rest_keeps_working_and_its_events_wait_for_it()
    {
        using var admin = await _split.AdminAsync();
        var product = await admin.ProductAsync(price: 3m, onHand: 5);
        using var customer = await _split.CustomerAsync();

        (await customer.GetAsync("/api/payments/payments")).StatusCode.Should().Be(HttpStatusCode.OK, "warm: the route works while the process is up");
        await _split.Payments.StopAsync();
        var clock = Stopwatch.StartNew();
        using var down = await customer.GetAsync("/api/payments/payments");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        await down.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        (await customer.GetAsync(CatalogApi.Products)).StatusCode.Should().Be(HttpStatusCode.OK, "Catalog, on the gateway, keeps working");
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
        await customer.StatusAsync(placed.Id, "StockReserved");
        await Task.Delay(1_000);
        (await customer.OrderAsync(placed.Id)).Status.Should().Be("StockReserved", "Payments is not there to charge it; its events wait in its queue");

        await _split.Payments.StartAsync();

        (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");
        (await customer.PaymentAsync(placed.Id, "Succeeded")).Amount.Should().Be(6m);
        (await OrderingApi.LedgerOfAsync(_split.Payments.DataDirectory, placed.Id)).Should().Be((1, 0, 0));
    }

    [Fact]
    public async Task A_broker_outage_under_load_loses_and_doubles_nothing()
    {
        using var admin = await _split.AdminAsync();
        var product = await admin.ProductAsync(price: 2m, onHand: Units);
        using var customer = await _split.CustomerAsync();

        using var stop = new CancellationTokenSource();
        var placing = PlaceUntilAsync(customer, product, stop.Token);
        await Task.Delay(1_500);
        int beforeOutage;
        await using (await TestBroker.OutageAsync())
        {
            beforeOutage = _placed;
            await Task.Delay(2_000);
        }

        // The load goes on through the outage and after it, whatever the wait for the outage lock was.
        await Task.Delay(1_500);
        await stop.CancelAsync();
        var accepted = await placing;
        accepted.Count.Should().BeGreaterThan(beforeOutage, "orders were placed while the broker was away and after");
        await SettlesOnceAsync(admin, customer, product, accepted);
    }

    [Fact]
    public async Task Each_process_killed_in_turn_under_load_loses_and_doubles_nothing()
    {
        using var admin = await _split.AdminAsync();
        var product = await admin.ProductAsync(price: 2m, onHand: Units);
        using var customer = await _split.CustomerAsync();
        var accepted = new List<Guid>();

        foreach (var process in new[] { _split.Orders, _split.Payments, _split.Gateway })
        {
            using var stop = new CancellationTokenSource();
            var placing = PlaceUntilAsync(customer, product, stop.Token);
            await Task.Delay(1_000);
            await process.KillAsync();
            await Task.Delay(500);
            await process.StartAsync();
            await Task.Delay(500);
            await stop.CancelAsync();
            accepted.AddRange(await placing);
        }

        accepted.Should().NotBeEmpty();
        await SettlesOnceAsync(admin, customer, product, accepted);
    }

    private int _placed;

    /// <summary>Places one-unit orders back to back until <paramref name="stop"/>; the ids of those the API accepted.</summary>
    private async Task<List<Guid>> PlaceUntilAsync(HttpClient customer, Guid product, CancellationToken stop)
    {
        var accepted = new List<Guid>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await customer.PlaceAsync(Guid.NewGuid().ToString("N"), OrderingApi.Line(product, 1));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted.Add((await response.ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id);
                    Interlocked.Increment(ref _placed);
                }
            }
            catch (HttpRequestException)
            {
                // The gateway itself is down: nothing was accepted.
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return accepted;
    }

    private static async Task<List<Order>> AllOrdersAsync(HttpClient customer)
    {
        var all = new List<Order>();
        for (var page = 1; ; page++)
        {
            var items = (await (await customer.GetAsync($"{OrderingApi.Orders}?page={page}&pageSize=100")).ReadAsAsync<OrderPage>(HttpStatusCode.OK)).Items;
            all.AddRange(items);
            if (items.Count < 100)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// Every order the customer has, not only those whose 202 arrived (a process killed after its commit
    /// accepted an order the client never heard of), reaches a final state once; stock and charges add up.
    /// </summary>
    private async Task SettlesOnceAsync(HttpClient admin, HttpClient customer, Guid product, List<Guid> accepted)
    {
        var all = await Eventually.MatchAsync(
            () => AllOrdersAsync(customer),
            orders => orders.Count > 0 && orders.All(o => o.IsFinal) && accepted.All(id => orders.Any(o => o.Id == id)),
            TimeSpan.FromSeconds(90), "every order the customer has reaches a final state");
        output.WriteLine($"{accepted.Count} accepted, {all.Count} in all: " + string.Join(", ", all.GroupBy(o => (o.Status, o.CancellationReason)).Select(g => $"{g.Key}: {g.Count()}")));

        all.Should().OnlyContain(o => o.Status == "Confirmed", "stock was plenty and every payment is below the decline limit");
        var units = all.Sum(o => o.Lines.Sum(l => l.Quantity));
        await admin.StockEventuallyAsync(product, new Stock(product, Units - units, 0, Units - units));
        foreach (var order in all)
        {
            (await OrderingApi.LedgerOfAsync(_split.Payments.DataDirectory, order.Id)).Should().Be((1, 0, 0), $"order {order.Id} was charged exactly once");
        }
    }
}
