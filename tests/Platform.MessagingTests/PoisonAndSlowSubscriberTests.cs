using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defect 7: attempts count when they start, handlers have a time limit, and each module consumes on its own.</summary>
public sealed class PoisonAndSlowSubscriberTests
{
    [Fact]
    public async Task An_attempt_counts_when_it_is_claimed_so_a_message_that_kills_every_attempt_ends_as_a_dead_letter()
    {
        using var factory = new PlatformFactory().With("Messaging:DispatcherEnabled", "false").With("Messaging:MaxAttempts", "3");
        var ping = (await factory.CreateClient().PingAsync()).Single();
        var sequence = (await factory.PingRowsAsync([ping])).Single().Sequence;
        var now = MessagingProbe.NowMs;

        await factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            // Three instances in a row claim it and die before writing anything back.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var claimed = await MessageStore.ClaimOutboxAsync(db, "Probe", ["probe.pinged"], now + (attempt * 1_000), now + (attempt * 1_000) + 500, Guid.NewGuid(), 3, 50, default);
                claimed.Should().ContainSingle(r => r.Sequence == sequence);
            }

            (await MessageStore.ClaimOutboxAsync(db, "Probe", ["probe.pinged"], now + 10_000, now + 10_500, Guid.NewGuid(), 3, 50, default))
                .Should().BeEmpty("the attempts are used up");
            (await MessageStore.ParkExhaustedAsync<OutboxMessage>(db, now + 10_000, 3, DateTimeOffset.UtcNow, default)).Should().Be(1);
            var parked = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Sequence == sequence);
            parked.DeadLetteredAt.Should().NotBeNull();
            parked.LastError.Should().Be(MessageStore.ExhaustedError);
        });
    }

    [Fact]
    public async Task A_handler_that_runs_past_its_time_limit_is_stopped_and_its_attempt_counted_as_failed()
    {
        using var factory = new PlatformFactory()
            .With("Messaging:HandlerTimeout", "00:00:00.200")
            .With("Messaging:MaxAttempts", "2")
            .With("Messaging:RetryBaseDelay", "00:00:00.010")
            .With("Probe:SleepPercent", "100")
            .With("Probe:Sleep", "00:00:30");
        var ping = (await factory.CreateClient().PingAsync()).Single();
        var messageId = (await factory.PingRowsAsync([ping])).Single().MessageId;
        var watch = Stopwatch.StartNew();

        var parked = await Eventually.MatchAsync(
            () => factory.InScopeAsync<ProbeDbContext, InboxMessage?>(db => db.Set<InboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId)),
            row => row?.DeadLetteredAt is not null, TimeSpan.FromSeconds(5));

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        parked!.LastError.Should().Contain("TimeoutException").And.Contain("Messaging:HandlerTimeout");
        (await factory.ProbeEffectsAsync(messageId)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestBroker.Transports), MemberType = typeof(TestBroker))]
    public async Task A_slow_subscriber_delays_only_itself(string transport)
    {
        const int users = 8;
        using var factory = PlatformFactory.Over(transport).With("Probe:UserRegisteredDelay", "00:00:00.400");
        if (factory.Broker is not null)
        {
            factory.CreateClient();
            await RabbitMq.ConnectedAsync(factory);
        }

        var registered = new List<User>();
        for (var i = 0; i < users; i++)
        {
            registered.Add(await factory.RegisterUserAsync());
        }

        var watch = Stopwatch.StartNew();
        foreach (var user in registered)
        {
            await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count == 1, TimeSpan.FromSeconds(5));
        }

        var notificationsDone = watch.Elapsed;
        var probeDone = await factory.InScopeAsync<ProbeDbContext, int>(db => db.Effects.CountAsync(e => e.Handler == "probe.user-registered"));
        notificationsDone.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "Notifications has its own queue");
        probeDone.Should().BeLessThan(users + 1, "the slow Probe module is still working through its own backlog");
        await Eventually.MatchAsync(
            () => factory.InScopeAsync<ProbeDbContext, int>(db => db.Effects.CountAsync(e => e.Handler == "probe.user-registered")),
            count => count == users + 1, TimeSpan.FromSeconds(10), "Probe gets there in the end (the admin's registration too)");
    }
}
