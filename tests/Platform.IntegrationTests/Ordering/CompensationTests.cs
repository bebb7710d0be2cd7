using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Persistence;
using Platform.IntegrationTests.Inventory;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

/// <summary>
/// The saga's undo paths that need a host of their own: a cancellation that overtakes the order's own
/// reservation, an order that times out, and a charge that lands after its order was cancelled.
/// </summary>
public sealed class CompensationTests
{
    [Fact]
    public async Task Cancelled_while_pending_nothing_is_charged_and_the_stock_the_late_reservation_took_is_released()
    {
        using var folder = new TempDataFolder();
        Guid product;
        string customerEmail = IdentityApi.NewEmail();
        await using (var all = (PlatformFactory)CommerceFactory.Commerce(PlatformFactory.On(folder.Path)))
        {
            product = await (await all.CreateAdminClientAsync()).ProductAsync(price: 8m, onHand: 3);
            await all.CreateCustomerClientAsync(customerEmail);
        }

        Order placed;
        // This process delivers no events: the order stays Pending, its OrderPlaced waits in the outbox.
        await using (var requestsOnly = CommerceFactory.Commerce(PlatformFactory.On(folder.Path)).With("Messaging:DispatcherEnabled", "false"))
        {
            var customer = await requestsOnly.CreateSignedInClientAsync(customerEmail, PlatformFactory.CustomerPassword);
            placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
            await Task.Delay(300);
            (await customer.OrderAsync(placed.Id)).Status.Should().Be("Pending");

            var cancelled = await (await customer.CancelAsync(placed.Id)).ReadAsAsync<Order>(HttpStatusCode.OK);

            cancelled.CancellationReason.Should().Be("CustomerCancelled");
        }

        // Delivery resumes: Inventory and Payments find both OrderPlaced and OrderCancelled waiting. Events of two
        // publishers have no order between them, so Inventory's writes are held back (another connection keeps its
        // file's write lock) until Payments has both: otherwise its StockReserved could reach Payments before the
        // cancellation, and the late charge would be refunded instead of never made.
        await using var inventoryWriter = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "inventory.db")};Pooling=False");
        await inventoryWriter.OpenAsync();
        await using (var hold = inventoryWriter.CreateCommand())
        {
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync();
        }

        await using var again = CommerceFactory.Commerce(PlatformFactory.On(folder.Path));
        var admin = await again.CreateAdminClientAsync();
        var owner = await again.CreateSignedInClientAsync(customerEmail, PlatformFactory.CustomerPassword);
        (await owner.PaymentAsync(placed.Id, "Voided")).Transactions.Should().BeEmpty();
        await using (var release = inventoryWriter.CreateCommand())
        {
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        await Eventually.MatchAsync(() => ReservationStatesAsync(again, placed.Id), s => s is "Released" or "Closed", TimeSpan.FromSeconds(20),
            "the order's reservation is released, or refused because the order was closed first");
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 3, 0, 3));
        (await OrderingApi.LedgerOfAsync(folder.Path, placed.Id)).Should().Be((0, 0, 1), "the charge key was voided, nothing charged");
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task An_order_with_no_outcome_in_time_is_timed_out_and_its_stock_released()
    {
        // The gateway answers after the handler's timeout: every charge attempt fails and the charge ends as a dead letter.
        await using var factory = CommerceFactory.Commerce(new PlatformFactory())
            .With("Payments:Simulator:Latency", "00:00:30")
            .With("Messaging:HandlerTimeout", "00:00:01")
            .With("Messaging:MaxAttempts", "2")
            .With("Ordering:OutcomeTimeout", "00:00:08")
            .With("Ordering:TimeoutSweepInterval", "00:00:00.200");
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 8m, onHand: 3);
        var customer = await factory.CreateCustomerClientAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
        await customer.StatusAsync(placed.Id, "StockReserved");
        (await admin.StockAsync(product)).Should().Be(new Stock(product, 3, 2, 1));

        var final = await customer.FinalAsync(placed.Id);

        final.Should().Match<Order>(o => o.Status == "Cancelled" && o.CancellationReason == "TimedOut");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
        var payment = await Eventually.MatchAsync(() => customer.PaymentOfAsync(placed.Id), p => p?.OrderCancelled == true, TimeSpan.FromSeconds(20),
            "the cancellation is stored although the gateway is down, so no later retry of the charge charges a cancelled order");
        payment!.Status.Should().Be("AwaitingStock");
        await Eventually.MatchAsync(customer.NotificationsAsync, n => n.Any(x => x.Kind == "OrderCancelled" && x.Subject.Contains("TimedOut", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_charge_that_lands_after_its_order_was_cancelled_is_refunded()
    {
        // The held answer must not run into the handler's time limit: this is about a charge that lands late, not one that fails.
        await using var factory = CommerceFactory.Commerce(new PlatformFactory()).With("Messaging:HandlerTimeout", "00:01:00");
        var gateway = new HoldsChargeAnswers(GatewayFault.Simulator(factory));
        GatewayFault.Install(factory, gateway);
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 8m, onHand: 3);
        var customer = await factory.CreateCustomerClientAsync();
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));
        await gateway.Charged.Task.WaitAsync(TimeSpan.FromSeconds(20));

        (await customer.CancelAsync(placed.Id)).StatusCode.Should().Be(HttpStatusCode.OK, "the charge is made but Payments has not heard back");
        gateway.Release.SetResult();

        var payment = await customer.PaymentAsync(placed.Id, "Refunded");
        payment.Transactions.Select(t => (t.Kind, t.Outcome)).Should().Equal(("Charge", "Succeeded"), ("Refund", "Succeeded"));
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Should().Be((1, 1, 0), "charged once, refunded once");
        await factory.PaymentsOutboxDeliveredAsync();
        (await customer.OrderAsync(placed.Id)).Status.Should().Be("Cancelled", "the late PaymentSucceeded, handled by now, does not revive a cancelled order");
        await admin.StockEventuallyAsync(product, new Stock(product, 3, 0, 3));
    }

    [Fact]
    public async Task A_charge_whose_answer_is_lost_is_not_made_twice_when_retried()
    {
        await using var factory = CommerceFactory.Commerce(new PlatformFactory());
        GatewayFault.Install(factory, new DiesAfterCharging(GatewayFault.Simulator(factory)));
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 8m, onHand: 3);
        var customer = await factory.CreateCustomerClientAsync();

        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));

        (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");
        (await customer.PaymentAsync(placed.Id, "Succeeded")).Transactions.Should().ContainSingle();
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, placed.Id)).Should().Be((1, 0, 0), "the retry found the first charge by its key");
        await admin.StockEventuallyAsync(product, new Stock(product, 2, 0, 2));
    }

    [Fact]
    public async Task A_refund_the_gateway_cannot_match_to_a_charge_ends_as_a_visible_dead_letter_never_as_refunded()
    {
        await using var factory = CommerceFactory.Commerce(new PlatformFactory()).With("Messaging:MaxAttempts", "2");
        GatewayFault.Install(factory, new ForgetsCharges(GatewayFault.Simulator(factory)));
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 8m, onHand: 3);
        var customer = await factory.CreateCustomerClientAsync();
        var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));
        (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");

        (await customer.CancelAsync(placed.Id)).StatusCode.Should().Be(HttpStatusCode.OK);

        await Eventually.MatchAsync(
            () => admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/payments/messaging/dead-letters"),
            letters => letters!.Any(l => l.GetProperty("handler").GetString() == "payments.refund-cancelled-order"),
            TimeSpan.FromSeconds(20), "the refund that found no charge is parked where an operator sees it");
        var payment = await customer.PaymentOfAsync(placed.Id);
        payment!.Should().Match<Payment>(p => p.Status == "Succeeded" && p.OrderCancelled, "it is not reported as refunded");
    }

    private static Task<string?> ReservationStatesAsync(PlatformFactory factory, Guid orderId) =>
        factory.InScopeAsync<InventoryDbContext, string?>(async db =>
        {
            if (await db.OrderClaims.AnyAsync(c => c.OrderId == orderId && c.State == OrderClaimState.ClosedUnreserved))
            {
                return "Closed";
            }

            var states = await db.Reservations.Where(r => r.OrderId == orderId).Select(r => r.State).ToListAsync();
            return states.Count == 0 ? null : states.Min() == ReservationState.Released ? "Released" : states.Min().ToString();
        });
}
