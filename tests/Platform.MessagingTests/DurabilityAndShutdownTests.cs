using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defects 8 and 9: "delivered" never ahead of a durable effect, leases given back at shutdown, stable handler names.</summary>
public sealed class DurabilityAndShutdownTests
{
    [Fact]
    public async Task An_effect_is_committed_only_after_its_cause_is_on_disk_and_recorded_as_delivered_only_after_itself_is()
    {
        var gate = new GatedDurability();
        using var factory = new PlatformFactory().WithServices(services => services.Replace(ServiceDescriptor.Singleton<IModuleDurability>(gate)));
        var ping = (await factory.CreateClient().PingAsync()).Single();
        var row = (await factory.PingRowsAsync([ping])).Single();

        // Pings are published and handled by Probe: its file's sync is held back.
        await gate.Called.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        (await factory.ProbeEffectsAsync(row.MessageId)).Should().BeEmpty("the ping's own commit is not on disk yet, so its effect may not be either");
        (await factory.PingRowsAsync([ping])).Single().ProcessedAt.Should().BeNull();

        gate.Open();

        var effect = await Eventually.MatchAsync(() => factory.ProbeEffectsAsync(row.MessageId), e => e.Count == 1);
        effect.Single().Synchronous.Should().Be(1, "the handler commits with NORMAL: a shared sync comes after");
        await Eventually.MatchAsync(() => factory.PingRowsAsync([ping]), rows => rows.Single().ProcessedAt is not null);
    }

    [Fact]
    public async Task With_synchronous_full_an_ordinary_commit_is_on_disk_when_it_returns_by_default_it_is_synced_before_it_is_relied_on()
    {
        using var normal = new PlatformFactory();
        using var full = new PlatformFactory().With("Database:SqliteSynchronous", "Full");

        (await SynchronousOf(normal)).Should().Be(1, "NORMAL by default: messaging syncs the file before anything relies on a commit");
        (await SynchronousOf(full)).Should().Be(2, "FULL: a command's commit survives a power loss when it returns");
    }

    private static Task<int> SynchronousOf(PlatformFactory factory)
    {
        factory.CreateClient();
        return factory.InScopeAsync<ProbeDbContext, int>(async db =>
        {
            await db.Database.OpenConnectionAsync();
            return await db.Database.SqlQueryRaw<int>("SELECT synchronous AS Value FROM pragma_synchronous()").SingleAsync();
        });
    }

    [Fact]
    public async Task The_sqlite_durability_barrier_syncs_the_modules_write_ahead_log()
    {
        using var factory = new PlatformFactory();
        var ping = (await factory.CreateClient().PingAsync()).Single();
        var messageId = (await factory.PingRowsAsync([ping])).Single().MessageId;
        await Eventually.MatchAsync(() => factory.ProbeEffectsAsync(messageId), e => e.Count == 1);
        File.Exists(Path.Combine(factory.DataDirectory, "probe.db-wal")).Should().BeTrue("the module's file runs in WAL mode");

        var barrier = () => factory.Services.GetRequiredService<IModuleDurability>().MakeDurableAsync("Probe", default);

        await barrier.Should().NotThrowAsync();
        await Eventually.MatchAsync(() => factory.PingRowsAsync([ping]), rows => rows.Single().ProcessedAt is not null);
    }

    private sealed class GatedDurability : IModuleDurability
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentBag<string> Modules { get; } = [];

        public void Open() => _open.TrySetResult();

        public async Task MakeDurableAsync(string module, CancellationToken cancellationToken)
        {
            Modules.Add(module);
            if (module == "Probe")
            {
                Called.TrySetResult();
                await _open.Task;
            }
        }
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
        var rows = await second.InScopeAsync<IdentityDbContext, List<OutboxMessage>>(db =>
            db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Destination == "Probe" && m.ProcessedAt == null).ToListAsync());
        rows.Should().NotBeEmpty("the slow subscriber had not finished");
        rows.Should().OnlyContain(r => r.LockedUntil == null && r.ClaimToken == null && r.Attempts == 0,
            "a delivery that never started is given back without an attempt spent");
    }

    [Fact]
    public async Task A_host_stopped_before_its_messaging_started_gives_back_what_commits_handed_over_meanwhile()
    {
        using var folder = new TempDataFolder();
        using (var first = PlatformFactory.On(folder.Path).With("Messaging:StartDelay", "00:00:09"))
        {
            await first.RegisterUserAsync();
        }

        using var second = PlatformFactory.On(folder.Path).With("Messaging:DispatcherEnabled", "false");
        second.CreateClient();
        var rows = await second.InScopeAsync<IdentityDbContext, List<OutboxMessage>>(db =>
            db.Set<OutboxMessage>().AsNoTracking().Where(m => m.ProcessedAt == null).ToListAsync());
        rows.Should().NotBeEmpty("nothing was delivered before the stop");
        rows.Should().OnlyContain(r => r.LockedUntil == null && r.ClaimToken == null && r.Attempts == 0,
            "a delivery handed over during the start delay is given back at the stop, without a lease or an attempt spent");
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
