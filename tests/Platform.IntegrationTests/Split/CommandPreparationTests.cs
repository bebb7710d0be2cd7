using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Inventory.Persistence;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Persistence;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Decision 0013: a command's reads of another module run before its module's write turn. Placing an order
/// asks Catalog (here a stand-in process that answers only when the test lets it) for prices, and setting the
/// stock of a product Inventory has not seen asks whether it exists; meanwhile the module's one SQLite writer
/// must stay free for its other commands and event handlers.
/// </summary>
public sealed class CommandPreparationTests : IAsyncLifetime
{
    private FakeProcess _catalog = null!;
    private PlatformFactory _ordering = null!;

    public async Task InitializeAsync()
    {
        _catalog = await FakeProcess.StartAsync();
        // Everything but Catalog; Inventory's subscription to Catalog's events needs the broker.
        _ordering = PlatformFactory.Over(TestBroker.RabbitMQ)
            .With("Modules:Catalog:Enabled", "false").With("Modules:Catalog:Url", _catalog.Url.ToString());
        _ordering.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _ordering.Dispose();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task Placing_an_order_does_not_hold_Orderings_write_turn_while_Catalog_answers()
    {
        var productId = Guid.NewGuid();
        var answer = CatalogAnswersWhenLet(new ProductSnapshot(productId, "SKU-1", "Lamp", 3.5m, "EUR", true));
        using var customer = await _ordering.CreateCustomerClientAsync();

        var placing = customer.PostAsJsonAsync("/api/ordering/orders", new { lines = new[] { new { productId, quantity = 2 } } });
        await ExpectWriteTurnFreeWhileCatalogIsAskedAsync<OrderingDbContext>(answer, placing);

        var placed = await placing;
        placed.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await placed.Content.ReadFromJsonAsync<Placed>())!.Total.Should().Be(7.0m);
    }

    [Fact]
    public async Task A_retried_order_is_answered_from_its_first_placement_without_asking_Catalog()
    {
        var productId = Guid.NewGuid();
        _catalog.Answer = context => context.Response.WriteAsJsonAsync(new[] { new ProductSnapshot(productId, "SKU-1", "Lamp", 3.5m, "EUR", true) });
        using var customer = await _ordering.CreateCustomerClientAsync();
        var body = new { lines = new[] { new { productId, quantity = 1 } } };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/ordering/orders") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", "retry-1");
        var placed = await (await customer.SendAsync(first)).Content.ReadFromJsonAsync<Placed>();

        _catalog.Answer = context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        _catalog.Requests.Clear();
        using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/ordering/orders") { Content = JsonContent.Create(body) };
        retry.Headers.Add("Idempotency-Key", "retry-1");
        var again = await customer.SendAsync(retry);

        again.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await again.Content.ReadFromJsonAsync<Placed>())!.Id.Should().Be(placed!.Id);
        _catalog.Requests.Should().BeEmpty("a retry whose key has an order needs no prices");

        using var fresh = new HttpRequestMessage(HttpMethod.Post, "/api/ordering/orders") { Content = JsonContent.Create(body) };
        fresh.Headers.Add("Idempotency-Key", "retry-2");
        (await customer.SendAsync(fresh)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a new order cannot be priced");
    }

    [Fact]
    public async Task Setting_stock_of_a_product_Inventory_has_not_seen_does_not_hold_Inventorys_write_turn_while_Catalog_answers()
    {
        var productId = Guid.NewGuid();
        var answer = CatalogAnswersWhenLet(new ProductSnapshot(productId, "SKU-9", "Shelf", 20m, "EUR", true));
        using var admin = await _ordering.CreateAdminClientAsync();

        var setting = admin.PutAsJsonAsync($"/api/inventory/stock/{productId}", new { onHand = 5 });
        await ExpectWriteTurnFreeWhileCatalogIsAskedAsync<InventoryDbContext>(answer, setting);

        var set = await setting;
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        (await set.Content.ReadFromJsonAsync<Stock>())!.OnHand.Should().Be(5);
    }

    /// <summary>The stand-in Catalog notes that it was asked and answers <paramref name="product"/> once the test lets it.</summary>
    private (TaskCompletionSource Asked, TaskCompletionSource Let) CatalogAnswersWhenLet(ProductSnapshot product)
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var let = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _catalog.Answer = async context =>
        {
            asked.TrySetResult();
            await let.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new[] { product });
        };
        return (asked, let);
    }

    /// <summary>While the command waits for Catalog, its module's write turn can be taken within 1.5 s; then Catalog answers.</summary>
    private async Task ExpectWriteTurnFreeWhileCatalogIsAskedAsync<TContext>((TaskCompletionSource Asked, TaskCompletionSource Let) catalog, Task command)
        where TContext : DbContext
    {
        await catalog.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var writers = _ordering.Services.GetRequiredService<SqliteWriteGate>();
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var enter = () => _ordering.InScopeAsync<TContext, IDisposable>(async db => await writers.EnterAsync(db, soon.Token));
        using (var turn = (await enter.Should().NotThrowAsync("Catalog has not answered yet, and nothing of the module's is being written")).Subject)
        {
            command.IsCompleted.Should().BeFalse("the command is still waiting for Catalog");
        }

        catalog.Let.SetResult();
    }

    private sealed record Stock(Guid ProductId, int OnHand);

    private sealed record Placed(Guid Id, decimal Total);
}
