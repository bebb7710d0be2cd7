using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Persistence;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Shared.Messaging;
using Platform.Testing;

namespace Platform.IntegrationTests.Inventory;

public sealed class StockTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_new_product_gets_a_stock_item_with_nothing_on_hand_that_any_signed_in_caller_can_read()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.CreateAsync();
        var customer = await factory.CreateCustomerClientAsync();

        var stock = await Eventually.MatchAsync(() => customer.StockAsync(product.Id), s => s is not null);

        stock.Should().Be(new Stock(product.Id, 0, 0, 0));
        (await factory.CreateClient().GetAsync(InventoryApi.StockOf(product.Id))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ProductCreated_delivered_again_changes_nothing()
    {
        var admin = await factory.CreateAdminClientAsync();
        var productId = await admin.ProductWithStockAsync(onHand: 5);
        await Eventually.MatchAsync(() => admin.StockAsync(productId), s => s is not null);
        var message = await WithCatalogAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .FirstAsync(m => m.Destination == "Inventory" && m.Payload.Contains(productId.ToString())));

        var inbox = factory.Services.GetRequiredService<InboxProcessor>();
        await Eventually.MatchAsync(() => HandledByInventoryAsync(factory, message.MessageId), handled => handled);

        var again = await inbox.DeliverAsync("Inventory", message.ToEnvelope(), CancellationToken.None);

        again.Outcome.Should().Be(DeliveryOutcome.Duplicate);
        (await admin.StockAsync(productId)).Should().Be(new Stock(productId, 5, 0, 5));
    }

    [Fact]
    public async Task Put_creates_the_item_of_a_product_whose_event_has_not_arrived_and_the_late_event_leaves_it_as_set()
    {
        using var folder = new TempDataFolder();
        Guid productId;
        using (var quiet = PlatformFactory.On(folder.Path).With("Messaging:DispatcherEnabled", "false"))
        {
            var admin = await quiet.CreateAdminClientAsync();
            productId = (await admin.CreateAsync()).Id;
            (await admin.StockAsync(productId)).Should().BeNull("the event waits in Catalog's outbox");

            var put = await admin.SetStockAsync(productId, 7);

            (await put.ReadAsAsync<Stock>(HttpStatusCode.OK)).Should().Be(new Stock(productId, 7, 0, 7));
        }

        using var delivering = PlatformFactory.On(folder.Path);
        var client = await delivering.CreateAdminClientAsync();
        var message = await Eventually.MatchAsync(() => CreatedMessageAsync(delivering, productId), m => m?.ProcessedAt is not null);
        (await HandledByInventoryAsync(delivering, message!.MessageId)).Should().BeTrue("the late event is handled, not failed: it finds the item and leaves it");
        (await client.StockAsync(productId)).Should().Be(new Stock(productId, 7, 0, 7));
    }

    [Fact]
    public async Task Put_refuses_an_unknown_product_with_404_and_a_quantity_out_of_range_with_400()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.CreateAsync();

        await (await admin.SetStockAsync(Guid.NewGuid(), 3)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.SetStockAsync(product.Id, -1)).ShouldHaveFieldErrorsAsync("onHand");
        await (await admin.PutAsJsonAsync(InventoryApi.StockOf(product.Id), new { quantity = 50 })).ShouldHaveFieldErrorsAsync("onHand");
    }

    [Fact]
    public async Task Only_an_admin_sets_stock()
    {
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.CreateAsync();
        var customer = await factory.CreateCustomerClientAsync();

        (await customer.SetStockAsync(product.Id, 3)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.CreateClient().SetStockAsync(product.Id, 3)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task On_hand_cannot_go_below_what_is_reserved()
    {
        var admin = await factory.CreateAdminClientAsync();
        var productId = await admin.ProductWithStockAsync(onHand: 5);
        (await factory.ReservationsAsync(r => r.ReserveAsync(Guid.NewGuid(), [new ReservationLine(productId, 3)], CancellationToken.None)))
            .Should().Be(ReservationOutcome.Reserved);

        var below = await admin.SetStockAsync(productId, 2);
        var atReserved = await admin.SetStockAsync(productId, 3);

        var problem = await below.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain("3 unit(s) reserved");
        (await atReserved.ReadAsAsync<Stock>(HttpStatusCode.OK)).Should().Be(new Stock(productId, 3, 3, 0));
    }

    private async Task<T> WithCatalogAsync<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    private static async Task<OutboxMessage?> CreatedMessageAsync(PlatformFactory factory, Guid productId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Set<OutboxMessage>().AsNoTracking()
            .FirstOrDefaultAsync(m => m.Destination == "Inventory" && m.Payload.Contains(productId.ToString()));
    }

    /// <summary>Inventory's inbox holds the message as handled: processed, with no error and not dead-lettered.</summary>
    private static async Task<bool> HandledByInventoryAsync(PlatformFactory factory, Guid messageId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Platform.Modules.Inventory.Persistence.InventoryDbContext>().Set<InboxMessage>()
            .AnyAsync(m => m.MessageId == messageId && m.ProcessedAt != null && m.LastError == null && m.DeadLetteredAt == null);
    }
}
