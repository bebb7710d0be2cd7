using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;

namespace Platform.MessagingTests;

/// <summary>Written once, run on each transport: in process, and over RabbitMQ.</summary>
public abstract class EventDeliveryTests(PlatformFactory factory)
{
    [Fact]
    public async Task A_registration_in_Identity_reaches_Notifications_and_the_inbox_records_it_with_the_effect()
    {
        var user = await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail(), displayName: "Ann")).ReadAsAsync<User>(HttpStatusCode.Created);

        var notifications = await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count > 0);

        notifications.Should().Equal(("Welcome", "Welcome, Ann"));
        // The outbox row is marked after the subscriber's inbox commit, so it may trail the visible effect.
        var message = await Eventually.MatchAsync(
            () => factory.UserRegisteredMessageAsync(user.Id), m => m.ProcessedAt is not null, because: "the outbox row is marked once handed over");
        var inbox = await factory.InboxOfNotificationsAsync(message.MessageId);
        inbox.Should().ContainSingle().Which.ProcessedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task Delivering_the_same_message_again_has_no_second_effect()
    {
        var user = await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail())).ReadAsAsync<User>(HttpStatusCode.Created);
        await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count == 1);
        var envelope = (await factory.UserRegisteredMessageAsync(user.Id)).ToEnvelope();
        var inbox = factory.Services.GetRequiredService<InboxProcessor>();

        await inbox.DeliverAsync("Notifications", envelope, CancellationToken.None);
        await Task.WhenAll(inbox.DeliverAsync("Notifications", envelope, CancellationToken.None), inbox.DeliverAsync("Notifications", envelope, CancellationToken.None));
        await Task.Delay(300);

        (await factory.NotificationsOfAsync(user.Id)).Should().HaveCount(1);
        (await factory.InboxOfNotificationsAsync(envelope.MessageId)).Should().ContainSingle();
    }

    [Fact]
    public async Task An_event_saved_after_a_savepoint_that_is_rolled_back_is_never_handed_over()
    {
        var productId = Guid.NewGuid();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using (var atomic = await AtomicScope.BeginAsync(db, CancellationToken.None))
            {
                scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new ProductCreated(productId, "SAVEPOINT-1", "Never", 1m, "EUR"));
                await db.SaveChangesAsync();
                await atomic.UndoAsync([], CancellationToken.None);
            }

            await transaction.CommitAsync();
        }

        await Task.Delay(500);
        await using var check = factory.Services.CreateAsyncScope();
        (await check.ServiceProvider.GetRequiredService<CatalogDbContext>().Set<OutboxMessage>().AnyAsync(m => m.Payload.Contains(productId.ToString())))
            .Should().BeFalse("the savepoint's rollback took the row back");
        (await check.ServiceProvider.GetRequiredService<Platform.Modules.Inventory.Persistence.InventoryDbContext>().StockItems.AnyAsync(s => s.ProductId == productId))
            .Should().BeFalse("a subscriber must never act on an event that no longer exists");
    }

    [Fact]
    public async Task An_event_published_in_a_transaction_that_rolls_back_is_never_stored_or_delivered()
    {
        Guid messageId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            messageId = scope.ServiceProvider.GetRequiredService<IEventPublisher>()
                .Publish(new ProductCreated(Guid.NewGuid(), "ROLLED-BACK", "Never", 1m, "EUR"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await Task.Delay(200);
        await using var check = factory.Services.CreateAsyncScope();
        var outbox = check.ServiceProvider.GetRequiredService<CatalogDbContext>().Set<OutboxMessage>();
        (await outbox.AnyAsync(m => m.MessageId == messageId)).Should().BeFalse();
    }

    [Fact]
    public async Task Catalog_publishes_product_created_and_price_changed_only_when_the_price_changes()
    {
        using var metrics = new HostMetrics(factory.Services);
        var admin = await factory.CreateAdminClientAsync();
        var product = await admin.CreateProductAsync();
        await admin.UpdateProductAsync(product.Id, amount: product.Price.Amount);
        await admin.UpdateProductAsync(product.Id, amount: product.Price.Amount + 1);

        metrics.Sum("platform.messaging.published", ("module", "Catalog"), ("type", "catalog.product-created")).Should().Be(1);
        metrics.Sum("platform.messaging.published", ("module", "Catalog"), ("type", "catalog.product-price-changed")).Should().Be(1);
    }
}

public sealed class EventDeliveryInProcessTests(PlatformFactory factory) : EventDeliveryTests(factory), IClassFixture<PlatformFactory>;

public sealed class EventDeliveryOverRabbitMqTests(RabbitMqPlatformFactory factory) : EventDeliveryTests(factory), IClassFixture<RabbitMqPlatformFactory>;
