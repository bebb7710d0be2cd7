using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

/// <summary>What placing an order refuses, and how: the field at fault, the right status, and nothing stored.</summary>
public sealed class PlacementRulesTests(CommerceFactory factory) : IClassFixture<CommerceFactory>
{
    [Fact]
    public async Task Malformed_lines_are_a_400_naming_the_line()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 3m, onHand: 5);
        var customer = await factory.CreateCustomerClientAsync();

        await (await customer.PlaceAsync(null)).ShouldHaveFieldErrorsAsync("lines");
        await (await customer.PostAsJsonAsync(OrderingApi.Orders, new { })).ShouldHaveFieldErrorsAsync("lines");
        await (await customer.PlaceAsync(null, OrderingApi.Line(product, 0))).ShouldHaveFieldErrorsAsync("lines[0].quantity");
        await (await customer.PlaceAsync(null, OrderingApi.Line(product, -1))).ShouldHaveFieldErrorsAsync("lines[0].quantity");
        await (await customer.PlaceAsync(null, OrderingApi.Line(product, 1001))).ShouldHaveFieldErrorsAsync("lines[0].quantity");
        await (await customer.PlaceAsync(null, OrderingApi.Line(Guid.Empty, 1))).ShouldHaveFieldErrorsAsync("lines[0].productId");
        await (await customer.PlaceAsync(null, OrderingApi.Line(product, 1), OrderingApi.Line(product, 2))).ShouldHaveFieldErrorsAsync("lines[1].productId");
        var tooMany = Enumerable.Range(0, 51).Select(_ => OrderingApi.Line(Guid.NewGuid(), 1)).ToArray();
        await (await customer.PlaceAsync(null, tooMany)).ShouldHaveFieldErrorsAsync("lines");
        await (await customer.PlaceAsync("has space", OrderingApi.Line(product, 1))).ShouldHaveFieldErrorsAsync("idempotencyKey");
        (await customer.PostAsync(OrderingApi.Orders, new StringContent("{\"lines\":[{\"productId\":\"x\"}]}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await customer.PostAsync(OrderingApi.Orders, new StringContent("{\"lines\":[null]}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await NoOrdersAsync(customer);
    }

    [Fact]
    public async Task Unknown_inactive_and_other_currency_products_are_a_422_naming_each_line()
    {
        var admin = await factory.CreateAdminClientAsync();
        var euro = await admin.ProductAsync(price: 3m, onHand: 5);
        var dollar = await admin.ProductAsync(price: 3m, onHand: 5, currency: "USD");
        var retired = await admin.ProductAsync(price: 3m, onHand: 5);
        (await admin.PostAsync($"{CatalogApi.Products}/{retired}/deactivate", null)).IsSuccessStatusCode.Should().BeTrue();
        var customer = await factory.CreateCustomerClientAsync();

        var response = await customer.PlaceAsync(null,
            OrderingApi.Line(euro, 1), OrderingApi.Line(Guid.NewGuid(), 1), OrderingApi.Line(retired, 1), OrderingApi.Line(dollar, 1));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should()
            .BeEquivalentTo("lines[1].productId", "lines[2].productId", "lines[3].productId");
        await NoOrdersAsync(customer);
    }

    [Fact]
    public async Task Only_customers_place_orders_and_only_signed_in_callers_read_them()
    {
        (await factory.CreateClient().PlaceAsync(null, OrderingApi.Line(Guid.NewGuid(), 1))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().GetAsync(OrderingApi.Orders)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var admin = await factory.CreateAdminClientAsync();
        (await admin.PlaceAsync(null, OrderingApi.Line(Guid.NewGuid(), 1))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_order_refuses_another_body_and_means_nothing_to_another_customer()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 4m, onHand: 50);
        var ann = await factory.CreateCustomerClientAsync();
        var bob = await factory.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        var first = await (await ann.PlaceAsync(key, OrderingApi.Line(product, 2))).ReadAsAsync<Order>(HttpStatusCode.Accepted);
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ann.PlaceAsync(key, OrderingApi.Line(product, 2))));
        var other = await ann.PlaceAsync(key, OrderingApi.Line(product, 3));
        var bobs = await (await bob.PlaceAsync(key, OrderingApi.Line(product, 2))).ReadAsAsync<Order>(HttpStatusCode.Accepted);

        foreach (var replay in racing)
        {
            (await replay.ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id.Should().Be(first.Id);
        }

        await other.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        bobs.Id.Should().NotBe(first.Id);
        var anns = await (await ann.GetAsync(OrderingApi.Orders)).ReadAsAsync<OrderPage>(HttpStatusCode.OK);
        anns.TotalCount.Should().Be(1, "replays return the first order instead of placing another");
        await ann.FinalAsync(first.Id);
        await bob.FinalAsync(bobs.Id);
        (await OrderingApi.LedgerOfAsync(factory.DataDirectory, first.Id)).Charged.Should().Be(1);
    }

    [Fact]
    public async Task Another_customer_cannot_read_list_or_cancel_an_order_its_payment_or_notifications()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 4m, onHand: 5);
        var ann = await factory.CreateCustomerClientAsync();
        var bob = await factory.CreateCustomerClientAsync();
        var order = await ann.PlaceOrderAsync(OrderingApi.Line(product, 1));
        await ann.FinalAsync(order.Id);
        await ann.PaymentAsync(order.Id, "Succeeded");

        (await bob.GetAsync($"{OrderingApi.Orders}/{order.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.CancelAsync(order.Id)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.GetAsync($"/api/payments/payments?orderId={order.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await NoOrdersAsync(bob);
        var bobsPayments = await (await bob.GetAsync("/api/payments/payments")).ReadAsAsync<PaymentPage>(HttpStatusCode.OK);
        bobsPayments.Items.Should().BeEmpty();
        (await bob.NotificationsAsync()).Should().NotContain(n => n.Kind.StartsWith("Order", StringComparison.Ordinal));
        (await ann.OrderAsync(order.Id)).Status.Should().Be("Confirmed", "Bob's cancel changed nothing");
    }

    private static async Task NoOrdersAsync(HttpClient customer) =>
        (await (await customer.GetAsync(OrderingApi.Orders)).ReadAsAsync<OrderPage>(HttpStatusCode.OK)).TotalCount.Should().Be(0);
}
