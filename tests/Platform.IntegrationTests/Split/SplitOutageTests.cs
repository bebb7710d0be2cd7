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

        var placing = PlaceForAsync(customer, product, TimeSpan.FromSeconds(6));
        await Task.Delay(1_500);
        await using (await TestBroker.OutageAsync())
        {
            await Task.Delay(2_000);
        }

        await SettlesOnceAsync(admin, customer, product, await placing);
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
            var placing = PlaceForAsync(customer, product, TimeSpan.FromSeconds(3));
            await Task.Delay(1_000);
            await process.KillAsync();
            await Task.Delay(500);
            await process.StartAsync();
            accepted.AddRange(await placing);
        }

        accepted.Should().NotBeEmpty();
        await SettlesOnceAsync(admin, customer, product, accepted);
    }

    /// <summary>Places one-unit orders back to back for <paramref name="duration"/>; the ids of those the API accepted.</summary>
    private static async Task<List<Guid>> PlaceForAsync(HttpClient customer, Guid product, TimeSpan duration)
    {
        var accepted = new List<Guid>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            try
            {
                using var response = await customer.PlaceAsync(Guid.NewGuid().ToString("N"), OrderingApi.Line(product, 1));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted.Add((await response.ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id);
                }
            }
            catch (HttpRequestException)
            {
                // The gateway itself is down: nothing was accepted.
            }

            await Task.Delay(50);
        }

        return accepted;
    }

    private async Task SettlesOnceAsync(HttpClient admin, HttpClient customer, Guid product, List<Guid> accepted)
    {
        var finals = await Eventually.MatchAsync(() => Task.WhenAll(accepted.Select(customer.OrderAsync)), all => all.All(o => o.IsFinal),
            TimeSpan.FromSeconds(90), "every accepted order reaches a final state");
        output.WriteLine($"{accepted.Count} accepted: " + string.Join(", ", finals.GroupBy(o => (o.Status, o.CancellationReason)).Select(g => $"{g.Key}: {g.Count()}")));

        var confirmed = finals.Where(o => o.Status == "Confirmed").Select(o => o.Id).ToList();
        confirmed.Should().HaveCount(accepted.Count, "stock was plenty and every payment is below the decline limit");
        await admin.StockEventuallyAsync(product, new Stock(product, Units - confirmed.Count, 0, Units - confirmed.Count));
        foreach (var id in accepted)
        {
            (await OrderingApi.LedgerOfAsync(_split.Payments.DataDirectory, id)).Should().Be((1, 0, 0), $"order {id} was charged exactly once");
        }

        (await (await customer.GetAsync($"{OrderingApi.Orders}?pageSize=100")).ReadAsAsync<OrderPage>(HttpStatusCode.OK)).TotalCount
            .Should().BeGreaterThanOrEqualTo(accepted.Count);
    }
}
