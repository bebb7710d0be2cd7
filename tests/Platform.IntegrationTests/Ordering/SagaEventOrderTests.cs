using Platform.IntegrationTests.Inventory;
using Platform.Modules.Inventory.Contracts;
using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Payments.Contracts;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

/// <summary>
/// Events arrive late, twice and out of order. Each is delivered here again as a new message (the inbox
/// would drop a mere redelivery of the same one): every module ignores a step its order is already past.
/// </summary>
public sealed class SagaEventOrderTests(CommerceFactory factory) : IClassFixture<CommerceFactory>
{
    [Fact]
    public async Task Every_event_of_a_confirmed_order_delivered_again_changes_nothing()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 12m, onHand: 5);
        var customer = await factory.CreateCustomerClientAsync();
        var order = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
        (await customer.FinalAsync(order.Id)).Status.Should().Be("Confirmed");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
        var payment = await customer.PaymentAsync(order.Id, "Succeeded");
        var notifications = (await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderConfirmed"))).Count;

        var published = await factory.OutboxRowsAsync();

        var placed = new OrderPlaced(order.Id, order.CustomerId, [new OrderedLine(product, 2)], 24m, "EUR", order.PlacedAt);
        await factory.DeliverAsync("Inventory", placed);
        await factory.DeliverAsync("Payments", placed);
        await factory.DeliverAsync("Ordering", new StockReserved(order.Id));
        await factory.DeliverAsync("Payments", new StockReserved(order.Id));
        await factory.DeliverAsync("Ordering", new StockReservationRejected(order.Id, [product]));
        await factory.DeliverAsync("Ordering", new PaymentFailed(order.Id, payment.Id, "late"));
        await factory.DeliverAsync("Ordering", new PaymentSucceeded(order.Id, payment.Id, 24m, "EUR", "again"));
        await factory.DeliverAsync("Inventory", new OrderConfirmed(order.Id, order.CustomerId, "x@example.com", 24m, "EUR"));

        (await factory.OutboxRowsAsync()).Should().Be(published, "no handler published anything: every one saw its step was past");
        var after = await customer.OrderAsync(order.Id);
        after.Status.Should().Be("Confirmed");
        after.History.Should().HaveCount(3);
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 3, 0, 3));
        (await customer.PaymentOfAsync(order.Id))!.Transactions.Should().ContainSingle();
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, order.Id)).Should().Be((1, 0, 0));
        (await customer.NotificationsAsync()).Should().HaveCount(notifications);
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_the_order_leaves_nothing_reserved_or_charged()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 7m, onHand: 4);
        var orderId = Guid.NewGuid();
        var customerId = Guid.NewGuid();
        var cancelled = new OrderCancelled(orderId, customerId, "x@example.com", OrderCancellationReasons.CustomerCancelled, false, 7m, "EUR");
        var placed = new OrderPlaced(orderId, customerId, [new OrderedLine(product, 1)], 7m, "EUR", DateTimeOffset.UtcNow);

        await factory.DeliverAsync("Inventory", cancelled);
        await factory.DeliverAsync("Payments", cancelled);
        await factory.DeliverAsync("Inventory", placed);
        await factory.DeliverAsync("Payments", placed);
        await factory.DeliverAsync("Payments", new StockReserved(orderId));

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 4, 0, 4), "a closed order reserves nothing");
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, orderId)).Should().Be((0, 0, 1), "its charge key is void");
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_the_confirmation_releases_and_the_late_confirmation_takes_nothing()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 7m, onHand: 4);
        var orderId = Guid.NewGuid();
        await factory.DeliverAsync("Inventory", new OrderPlaced(orderId, Guid.NewGuid(), [new OrderedLine(product, 3)], 21m, "EUR", DateTimeOffset.UtcNow));
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 4, 3, 1));

        await factory.DeliverAsync("Inventory", new OrderCancelled(orderId, Guid.NewGuid(), "x@example.com", OrderCancellationReasons.CustomerCancelled, true, 21m, "EUR"));
        await factory.DeliverAsync("Inventory", new OrderConfirmed(orderId, Guid.NewGuid(), "x@example.com", 21m, "EUR"));

        (await admin.StockAsync(product)).Should().Be(new Stock(product, 4, 0, 4));
    }
}
