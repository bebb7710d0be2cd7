using System.Globalization;
using System.Net;
using Platform.IntegrationTests.Inventory;
using Platform.IntegrationTests.Ordering;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>A running platform as its API clients see it, whatever its topology.</summary>
public interface ICommerceTopology : IAsyncDisposable
{
    Task<HttpClient> AdminAsync();

    Task<HttpClient> CustomerAsync();

    /// <summary>The data folder of the process that hosts Payments (the payment simulator's ledger lives there).</summary>
    string PaymentsData { get; }
}

/// <summary>One topology shared by a scenario's cases, and fresh ones for cases that need settings of their own.</summary>
public interface ICommerceTopologies
{
    ICommerceTopology Shared { get; }

    Task<ICommerceTopology> StartAsync(IReadOnlyDictionary<string, string> settings);
}

/// <summary>
/// Issue 16: the order saga end to end, as one scenario run against one process (events in process) and
/// against three processes talking over RabbitMQ and HTTP, where the test talks only to the gateway.
/// </summary>
public abstract class OrderSagaScenario(ICommerceTopologies topologies)
{
    /// <summary>What both topologies are given for the order flow: cheap password hashing, charges above 1000 declined, quick retries.</summary>
    public static IReadOnlyDictionary<string, string> CommerceSettings { get; } = new Dictionary<string, string>
    {
        ["Identity:PasswordHashIterations"] = "1000",
        ["Payments:Simulator:DeclineAbove"] = CommerceFactory.DeclineAbove.ToString(CultureInfo.InvariantCulture),
        ["Messaging:RetryBaseDelay"] = "00:00:00.050",
        ["Messaging:RetryMaxDelay"] = "00:00:00.500",
    };

    private ICommerceTopology Platform => topologies.Shared;

    [Fact]
    public async Task A_customer_orders_and_pays_the_stock_is_committed_the_payment_recorded_and_the_customer_told()
    {
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: 25m, onHand: 5);
        using var customer = await Platform.CustomerAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));

        placed.Should().Match<Order>(o => o.Status == "Pending" && o.Total == 50m && o.Currency == "EUR");
        var confirmed = await customer.FinalAsync(placed.Id);
        confirmed.Status.Should().Be("Confirmed");
        confirmed.History.Select(h => h.Status).Should().Equal("Pending", "StockReserved", "Confirmed");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
        (await customer.PaymentAsync(placed.Id, "Succeeded")).Amount.Should().Be(50m);
        (await OrderingApi.LedgerOfAsync(Platform.PaymentsData, placed.Id)).Should().Be((1, 0, 0), "charged exactly once");
        (await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderConfirmed")))
            .Should().ContainSingle(n => n.Kind == "OrderConfirmed").Which.Body.Should().Contain("50.00 EUR");
    }

    [Fact]
    public async Task An_order_for_more_than_is_in_stock_is_cancelled_as_out_of_stock_and_nothing_is_charged()
    {
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: 10m, onHand: 1);
        using var customer = await Platform.CustomerAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));

        (await customer.FinalAsync(placed.Id)).Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "OutOfStock");
        (await customer.PaymentAsync(placed.Id, "Voided")).Transactions.Should().BeEmpty();
        (await OrderingApi.LedgerOfAsync(Platform.PaymentsData, placed.Id)).Charged.Should().Be(0);
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 1, 0, 1));
    }

    [Fact]
    public async Task A_declined_payment_cancels_the_order_and_releases_its_stock()
    {
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: CommerceFactory.DeclineAbove + 1, onHand: 4);
        using var customer = await Platform.CustomerAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));

        var final = await customer.FinalAsync(placed.Id);
        final.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "PaymentDeclined");
        await admin.StockEventuallyAsync(product, new Stock(product, 4, 0, 4));
        (await customer.PaymentAsync(placed.Id, "Declined")).DeclineReason.Should().Contain("limit");
        (await OrderingApi.LedgerOfAsync(Platform.PaymentsData, placed.Id)).Charged.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_refunds_the_charge_and_returns_the_stock()
    {
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: 30m, onHand: 6);
        using var customer = await Platform.CustomerAsync();
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
        (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");
        await admin.StockEventuallyAsync(product, new Stock(product, 4, 0, 4));

        var cancelled = await (await customer.CancelAsync(placed.Id)).ReadAsAsync<Order>(HttpStatusCode.OK);

        cancelled.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "CustomerCancelled");
        (await customer.PaymentAsync(placed.Id, "Refunded")).Transactions.Select(t => (t.Kind, t.Outcome))
            .Should().Equal(("Charge", "Succeeded"), ("Refund", "Succeeded"));
        await admin.StockEventuallyAsync(product, new Stock(product, 6, 0, 6));
        (await OrderingApi.LedgerOfAsync(Platform.PaymentsData, placed.Id)).Should().Be((1, 1, 0), "charged once, refunded once");
        (await customer.CancelAsync(placed.Id)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_order_with_no_payment_outcome_in_time_is_timed_out_and_its_stock_released()
    {
        // The payment gateway answers after the handler's timeout: no charge attempt ever decides.
        await using var slowPayments = await topologies.StartAsync(new Dictionary<string, string>(CommerceSettings)
        {
            ["Payments:Simulator:Latency"] = "00:00:30",
            ["Messaging:HandlerTimeout"] = "00:00:01",
            ["Messaging:MaxAttempts"] = "2",
            ["Ordering:OutcomeTimeout"] = "00:00:08",
            ["Ordering:TimeoutSweepInterval"] = "00:00:00.200",
        });
        using var admin = await slowPayments.AdminAsync();
        var product = await admin.ProductAsync(price: 8m, onHand: 3);
        using var customer = await slowPayments.CustomerAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));

        var final = await customer.FinalAsync(placed.Id, TimeSpan.FromSeconds(40));
        final.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "TimedOut");
        final.History.Select(h => h.Status).Should().Equal(["Pending", "StockReserved", "Cancelled"], "the stock was reserved; only the payment never decided");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
        await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderCancelled" && x.Subject.Contains("TimedOut", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_customer_sees_and_cancels_only_their_own_orders_and_payments()
    {
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: 4m, onHand: 5);
        using var ann = await Platform.CustomerAsync();
        using var bob = await Platform.CustomerAsync();
        var order = await ann.PlaceOrderAsync(OrderingApi.Line(product, 1));
        await ann.FinalAsync(order.Id);

        (await bob.GetAsync($"{OrderingApi.Orders}/{order.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.CancelAsync(order.Id)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.GetAsync($"/api/payments/payments?orderId={order.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await bob.GetAsync(OrderingApi.Orders)).ReadAsAsync<OrderPage>(HttpStatusCode.OK)).TotalCount.Should().Be(0);
        (await bob.NotificationsAsync()).Should().NotContain(n => n.Kind.StartsWith("Order", StringComparison.Ordinal));
        (await ann.OrderAsync(order.Id)).Status.Should().Be("Confirmed", "Bob's cancel changed nothing");
        (await admin.OrderAsync(order.Id)).Id.Should().Be(order.Id, "an administrator sees every order");
    }

    [Fact]
    public async Task Customers_racing_for_ten_units_get_exactly_ten_confirmed_orders()
    {
        const int Customers = 30;
        const int Units = 10;
        using var admin = await Platform.AdminAsync();
        var product = await admin.ProductAsync(price: 2m, onHand: Units);
        var customers = (await Task.WhenAll(Enumerable.Range(0, Customers).Select(_ => Platform.CustomerAsync()))).ToList();

        var placements = await Task.WhenAll(customers.Select(c => c.PlaceAsync(null, OrderingApi.Line(product, 1))));
        var orders = new List<(HttpClient Customer, Guid Id)>();
        for (var i = 0; i < Customers; i++)
        {
            orders.Add((customers[i], (await placements[i].ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id));
        }

        var finals = await Eventually.MatchAsync(() => Task.WhenAll(orders.Select(o => o.Customer.OrderAsync(o.Id))),
            all => all.All(o => o.IsFinal), TimeSpan.FromSeconds(60), "every order reaches a final state");

        finals.Count(o => o.Status == "Confirmed").Should().Be(Units);
        finals.Where(o => o.Status == "Cancelled").Should().HaveCount(Customers - Units).And.OnlyContain(o => o.CancellationReason == "OutOfStock");
        await admin.StockEventuallyAsync(product, new Stock(product, 0, 0, 0));
        customers.ForEach(c => c.Dispose());
    }
}

/// <summary>One process, every module, events in process.</summary>
public sealed class OneProcessTopologies : ICommerceTopologies, IAsyncLifetime
{
    public ICommerceTopology Shared { get; private set; } = null!;

    public async Task<ICommerceTopology> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var factory = new PlatformFactory();
        foreach (var (key, value) in settings)
        {
            factory.With(key, value);
        }

        factory.CreateClient();
        return await Task.FromResult<ICommerceTopology>(new InProcess(factory));
    }

    public async Task InitializeAsync() => Shared = await StartAsync(OrderSagaScenario.CommerceSettings);

    public async Task DisposeAsync() => await Shared.DisposeAsync();

    private sealed class InProcess(PlatformFactory factory) : ICommerceTopology
    {
        public string PaymentsData => factory.DataDirectory;

        public Task<HttpClient> AdminAsync() => factory.CreateAdminClientAsync();

        public Task<HttpClient> CustomerAsync() => factory.CreateCustomerClientAsync();

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}

/// <summary>Three processes (README's example), events over RabbitMQ; the test talks only to the gateway.</summary>
public sealed class ThreeProcessTopologies : ICommerceTopologies, IAsyncLifetime
{
    public ICommerceTopology Shared { get; private set; } = null!;

    public async Task<ICommerceTopology> StartAsync(IReadOnlyDictionary<string, string> settings) =>
        new Split(await SplitProcesses.StartAsync(settings));

    public async Task InitializeAsync() => Shared = await StartAsync(OrderSagaScenario.CommerceSettings);

    public async Task DisposeAsync() => await Shared.DisposeAsync();

    private sealed class Split(SplitProcesses processes) : ICommerceTopology
    {
        public string PaymentsData => processes.Payments.DataDirectory;

        public Task<HttpClient> AdminAsync() => processes.AdminAsync();

        public Task<HttpClient> CustomerAsync() => processes.CustomerAsync();

        public ValueTask DisposeAsync() => processes.DisposeAsync();
    }
}

public sealed class OrderSagaInOneProcess(OneProcessTopologies topologies) : OrderSagaScenario(topologies), IClassFixture<OneProcessTopologies>;

public sealed class OrderSagaAcrossThreeProcesses(ThreeProcessTopologies topologies) : OrderSagaScenario(topologies), IClassFixture<ThreeProcessTopologies>;
