using System.Net;
using Microsoft.Extensions.Logging;
using Platform.IntegrationTests.Inventory;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

/// <summary>The order saga end to end through HTTP in one host: every outcome, and what each module is left holding.</summary>
public sealed class OrderFlowTests(CommerceFactory factory) : IClassFixture<CommerceFactory>
{
    [Fact]
    public async Task A_customer_orders_pays_and_is_told_stock_is_committed_and_the_payment_recorded()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 25m, onHand: 5);
        var customer = await factory.CreateCustomerClientAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));

        placed.Status.Should().Be("Pending");
        placed.Lines.Should().ContainSingle().Which.Should().Match<OrderLine>(l => l.UnitPrice == 25m && l.Quantity == 2 && l.Name == "Widget" && l.LineTotal == 50m);
        placed.Total.Should().Be(50m);
        placed.Currency.Should().Be("EUR");
        var confirmed = await customer.FinalAsync(placed.Id);
        confirmed.Status.Should().Be("Confirmed");
        confirmed.History.Select(h => h.Status).Should().Equal("Pending", "StockReserved", "Confirmed");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
        var payment = await customer.PaymentAsync(placed.Id, "Succeeded");
        payment.Amount.Should().Be(50m);
        payment.Transactions.Should().ContainSingle().Which.Should().Match<PaymentTransaction>(t => t.Kind == "Charge" && t.Outcome == "Succeeded");
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Should().Be((1, 0, 0), "the gateway charged exactly once");
        var notifications = await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderConfirmed"));
        notifications.Should().ContainSingle(n => n.Kind == "OrderConfirmed").Which.Body.Should().Contain("50.00 EUR");
        (await customer.GetAsync($"{OrderingApi.Orders}?page=2&pageSize=1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await customer.GetAsync("/api/payments/payments?page=2&pageSize=1")).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Logs.Entries.Where(e => e.Category == "Microsoft.EntityFrameworkCore.Query" && e.Level >= LogLevel.Warning)
            .Select(e => e.Message).Should().BeEmpty("the saga's queries, and the messaging spine's, are ones EF Core has nothing to warn about");
    }

    [Fact]
    public async Task An_order_for_more_than_is_in_stock_is_cancelled_as_out_of_stock_and_nothing_is_charged()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 10m, onHand: 1);
        var customer = await factory.CreateCustomerClientAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));

        var final = await customer.FinalAsync(placed.Id);
        final.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "OutOfStock");
        var payment = await customer.PaymentAsync(placed.Id, "Voided");
        payment.Transactions.Should().BeEmpty();
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Charged.Should().Be(0);
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 1, 0, 1));
        await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderCancelled" && x.Subject.Contains("OutOfStock", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_declined_payment_cancels_the_order_and_releases_its_stock()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: CommerceFactory.DeclineAbove + 1, onHand: 4);
        var customer = await factory.CreateCustomerClientAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));

        var final = await customer.FinalAsync(placed.Id);
        final.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "PaymentDeclined");
        final.History.Select(h => h.Status).Should().Equal("Pending", "StockReserved", "Cancelled");
        await admin.StockEventuallyAsync(product, new Stock(product, 4, 0, 4));
        var payment = await customer.PaymentAsync(placed.Id, "Declined");
        payment.DeclineReason.Should().Contain("limit");
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Charged.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_refunds_the_charge_and_returns_the_stock()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 30m, onHand: 6);
        var customer = await factory.CreateCustomerClientAsync();
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
        (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");
        await admin.StockEventuallyAsync(product, new Stock(product, 4, 0, 4));

        var cancel = await customer.CancelAsync(placed.Id);

        var cancelled = await cancel.ReadAsAsync<Order>(HttpStatusCode.OK);
        cancelled.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "CustomerCancelled");
        var payment = await customer.PaymentAsync(placed.Id, "Refunded");
        payment.Transactions.Select(t => (t.Kind, t.Outcome)).Should().Equal(("Charge", "Succeeded"), ("Refund", "Succeeded"));
        await admin.StockEventuallyAsync(product, new Stock(product, 6, 0, 6));
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Should().Be((1, 1, 0), "charged once, refunded once");
        (await customer.CancelAsync(placed.Id)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderCancelled" && x.Body.Contains("refunded", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_administrator_sees_and_cancels_any_order_and_lists_everyone_s()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 5m, onHand: 10);
        var customer = await factory.CreateCustomerClientAsync();
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));
        await customer.FinalAsync(placed.Id);

        (await admin.OrderAsync(placed.Id)).Id.Should().Be(placed.Id);
        var all = await (await admin.GetAsync($"{OrderingApi.Orders}?pageSize=100")).ReadAsAsync<OrderPage>(HttpStatusCode.OK);
        all.Items.Should().Contain(o => o.Id == placed.Id);
        (await admin.CancelAsync(placed.Id)).StatusCode.Should().Be(HttpStatusCode.OK);
        var mine = await (await customer.GetAsync($"{OrderingApi.Orders}?status=cancelled")).ReadAsAsync<OrderPage>(HttpStatusCode.OK);
        mine.Items.Should().ContainSingle().Which.Id.Should().Be(placed.Id);
    }
}
