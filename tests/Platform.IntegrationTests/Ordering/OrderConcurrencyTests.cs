using System.Net;
using Platform.IntegrationTests.Inventory;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests.Ordering;

public sealed class OrderConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_customers_racing_for_ten_units_get_exactly_ten_confirmed_orders()
    {
        const int Customers = 200;
        const int Units = 10;
        await using var factory = CommerceFactory.Commerce(new PlatformFactory());
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.ProductAsync(price: 2m, onHand: Units);
        var customers = new List<HttpClient>();
        foreach (var chunk in Enumerable.Range(0, Customers).Chunk(20))
        {
            customers.AddRange(await Task.WhenAll(chunk.Select(_ => factory.CreateCustomerClientAsync())));
        }

        var placements = await Task.WhenAll(customers.Select(c => c.PlaceAsync(null, OrderingApi.Line(product, 1))));
        var orders = new List<(HttpClient Customer, Guid Id)>();
        for (var i = 0; i < Customers; i++)
        {
            orders.Add((customers[i], (await placements[i].ReadAsAsync<Order>(HttpStatusCode.Accepted)).Id));
        }

        var finals = await Eventually.MatchAsync(
            () => Task.WhenAll(orders.Select(o => o.Customer.OrderAsync(o.Id))),
            all => all.All(o => o.IsFinal), TimeSpan.FromSeconds(60), "every order reaches a final state");
        output.WriteLine(string.Join(", ", finals.GroupBy(o => (o.Status, o.CancellationReason)).Select(g => $"{g.Key}: {g.Count()}")));

        finals.Count(o => o.Status == "Confirmed").Should().Be(Units);
        finals.Where(o => o.Status == "Cancelled").Should().HaveCount(Customers - Units).And.OnlyContain(o => o.CancellationReason == "OutOfStock");
        await admin.StockEventuallyAsync(product, new Stock(product, 0, 0, 0));
    }
}
