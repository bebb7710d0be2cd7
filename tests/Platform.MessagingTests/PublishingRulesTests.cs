using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Identity.Contracts;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defect 5: an event is either saved with the publisher's unit of work or refused loudly, never dropped.</summary>
public sealed class PublishingRulesTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Publishing_outside_a_transaction_of_the_owning_module_fails_at_once()
    {
        factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();

        var publish = () => scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new UserRegistered(Guid.NewGuid(), "a@example.com", "A", ["Customer"]));

        publish.Should().Throw<InvalidOperationException>().WithMessage("*outside a transaction of Identity*");
    }

    [Fact]
    public async Task A_module_cannot_publish_another_modules_event()
    {
        factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        using var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>().Enter("Identity");

        var publish = () => scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new ProductCreated(Guid.NewGuid(), "SKU", "Thing", 1m, "EUR"));

        publish.Should().Throw<InvalidOperationException>().WithMessage("Identity cannot publish ProductCreated: it belongs to Catalog*");
    }

    [Fact]
    public async Task Committing_an_event_that_was_never_saved_is_refused_and_nothing_is_stored()
    {
        factory.CreateClient();
        var email = $"unsaved-{Guid.NewGuid():N}@example.com";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new UserRegistered(Guid.NewGuid(), email, "A", ["Customer"]));

            var commit = () => transaction.CommitAsync();

            await commit.Should().ThrowAsync<InvalidOperationException>().WithMessage("*SaveChanges was not called*");
        }

        var stored = await factory.InScopeAsync<IdentityDbContext, int>(db => db.Set<OutboxMessage>().CountAsync(m => m.Payload.Contains(email)));
        stored.Should().Be(0);
    }
}
