using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defects 8 and 9: how durable a handler's commit is, leases given back at shutdown, stable handler names.</summary>
public sealed class DurabilityAndShutdownTests
{
    [Fact]
    public async Task A_handler_commits_with_synchronous_full_so_the_delivery_is_never_marked_done_ahead_of_its_effect()
    {
        using var factory = new PlatformFactory();
        var ping = (await factory.CreateClient().PingAsync()).Single();
        var messageId = (await factory.PingRowsAsync([ping])).Single().MessageId;

        var effect = await Eventually.MatchAsync(() => factory.ProbeEffectsAsync(messageId), e => e.Count == 1);

        effect.Single().Synchronous.Should().Be(2, "SQLite's FULL: the WAL is synced when the handler commits");
    }

    [Fact]
    public async Task A_graceful_stop_gives_back_the_deliveries_it_held_so_the_next_instance_takes_them_at_once()
    {
        using var folder = new TempDataFolder();
        var users = new List<User>();
        using (var first = PlatformFactory.On(folder.Path).With("Probe:UserRegisteredDelay", "00:00:01"))
        {
            for (var i = 0; i < 4; i++)
            {
                users.Add(await first.RegisterUserAsync());
            }
        }

        // Stopped with Probe's queue still full: nothing it held may stay locked for a whole lease (30 s).
        using var second = PlatformFactory.On(folder.Path).With("Messaging:DispatcherEnabled", "false");
        second.CreateClient();
        var rows = await second.WithDbAsync<IdentityDbContext, List<OutboxMessage>>(db =>
            db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Destination == "Probe" && m.ProcessedAt == null).ToListAsync());
        rows.Should().NotBeEmpty("the slow subscriber had not finished");
        rows.Should().OnlyContain(r => r.LockedUntil == null && r.ClaimToken == null && r.Attempts == 0,
            "a delivery that never started is given back without an attempt spent");
    }

    [Fact]
    public async Task Inbox_rows_keyed_by_a_handlers_old_class_name_are_renamed_to_its_stable_name()
    {
        using var factory = new PlatformFactory().With("Database:MigrateOnStartup", "false");
        factory.CreateClient();
        var messageId = Guid.NewGuid();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var migrator = db.GetService<IMigrator>();
        var before = db.Database.GetMigrations().First(m => m.EndsWith("_Initial", StringComparison.Ordinal));
        await migrator.MigrateAsync(before);
        await db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "InboxMessages" ("MessageId", "Handler", "Type", "Payload", "SourceModule", "OccurredAt", "Attempts", "DueAt", "ProcessedAt", "ReceivedAt") VALUES ({0}, {1}, 'identity.user-registered', '{{}}', 'Identity', {2}, 1, {3}, {2}, {2})""",
            messageId, "Platform.Modules.Notifications.Features.Welcome.SendWelcomeNotification", DateTimeOffset.UtcNow, MessagingProbe.NowMs);

        await migrator.MigrateAsync();

        (await db.Set<InboxMessage>().AsNoTracking().SingleAsync(m => m.MessageId == messageId)).Handler.Should().Be("notifications.welcome");
    }
}
