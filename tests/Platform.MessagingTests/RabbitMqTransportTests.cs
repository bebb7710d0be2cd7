using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Messaging;
using RabbitMQ.Client;

namespace Platform.MessagingTests;

/// <summary>What only a broker has: a queue nothing is bound for, a process killed before its ack, a delivery limit.</summary>
public sealed class RabbitMqTransportTests
{
    [Fact]
    public async Task An_event_no_queue_is_bound_for_is_kept_by_the_alternate_exchange_and_reported_not_dropped()
    {
        using var factory = PlatformFactory.Over(TestBroker.RabbitMQ);
        var broker = factory.Broker!;
        factory.CreateClient();
        await RabbitMq.ConnectedAsync(factory);
        await Eventually.MatchAsync(() => IdentityOutboxWaitingAsync(factory), waiting => waiting == 0, because: "the admin's registration went out first");
        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var module in new[] { "Notifications", "Probe" })
            {
                await channel.QueueUnbindAsync(broker.Queue(module), broker.Exchange, "identity.user-registered");
            }
        }

        var user = await factory.RegisterUserAsync();

        await Eventually.MatchAsync(() => factory.UserRegisteredMessageAsync(user.Id), m => m.ProcessedAt is not null, because: "the broker confirmed it");
        await Eventually.MatchAsync(() => broker.CountAsync(broker.Unroutable), count => count == 1);
        var rabbit = await Eventually.MatchAsync(() => RabbitMq.ReadinessAsync(factory), r => r.GetProperty("status").GetString() == "Degraded", TimeSpan.FromSeconds(15));
        rabbit.GetProperty("description").GetString().Should().Contain("reached no queue");
        rabbit.GetProperty("data").GetProperty("unroutable").GetInt64().Should().Be(1);
        await Eventually.MatchAsync(() => Task.FromResult(factory.Logs.Lines.ToList()), lines => lines.Any(l => l.Contains("reached no queue", StringComparison.Ordinal)));
        (await factory.NotificationsOfAsync(user.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_consumer_killed_between_its_commit_and_the_ack_has_no_second_effect_from_the_redelivery()
    {
        var broker = new TestBroker();
        using var folder = new TempDataFolder();
        try
        {
            await using var host = await HostProcess.StartAsync(HostProcess.ProbeHost, folder.Path, broker.Settings);
            await host.Client.PingAsync(1, "die-after-commit");
            await host.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await Eventually.MatchAsync(() => broker.CountAsync(broker.Queue("Probe")), count => count >= 1, TimeSpan.FromSeconds(10),
                "the handled but unacknowledged delivery is back in the queue");

            await host.StartAsync();

            await Eventually.MatchAsync(() => TestBroker.TotalAsync(broker.Queue("Probe")), count => count == 0, TimeSpan.FromSeconds(20), "the redelivery was handled and acknowledged");
            var stats = await host.Client.GetFromJsonAsync<JsonElement>("/api/probe/effects");
            stats.GetProperty("doubled").GetInt32().Should().Be(0);
            File.ReadLines(Path.Combine(folder.Path, "probe-starts.log")).Count(l => l.EndsWith("probe.record", StringComparison.Ordinal))
                .Should().Be(1, "the handler ran once: the redelivery met its inbox row");
        }
        finally
        {
            await broker.DeleteAsync(TestBroker.SubscribingModules);
        }
    }

    [Fact]
    public async Task A_message_that_kills_every_delivery_is_dead_lettered_at_the_delivery_limit_shown_to_administrators_and_replayable()
    {
        var broker = new TestBroker();
        using var folder = new TempDataFolder();
        var settings = new Dictionary<string, string>(broker.Settings) { ["Messaging:RabbitMQ:DeliveryLimit"] = "1" };
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "probe-broken"), "the bug");
        try
        {
            await using var host = await HostProcess.StartAsync(HostProcess.ProbeHost, folder.Path, settings);
            var ping = (await host.Client.PingAsync(1, "crash-while-broken")).Single();
            for (var delivery = 0; delivery < 2; delivery++)
            {
                // Each delivery kills the process; each restart is delivered it again, until the limit.
                await host.WaitForExitAsync(TimeSpan.FromSeconds(30));
                await host.StartAsync();
            }

            var admin = await SignedInAsync(host, PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);
            var letters = await Eventually.MatchAsync(
                () => admin.GetFromJsonAsync<List<DeadLetter>>("/api/probe/messaging/dead-letters")!,
                found => found!.Any(l => l.Type == "probe.pinged"), TimeSpan.FromSeconds(20));
            var letter = letters!.Single(l => l.Type == "probe.pinged");
            letter.LastError.Should().Contain("delivery limit").And.Contain(broker.Queue("Probe"));
            letter.Handler.Should().Be("probe.record");
            host.HasExited.Should().BeFalse("a dead letter is not delivered again");

            File.Delete(Path.Combine(folder.Path, "probe-broken"));
            var replay = await admin.PostAsync($"/api/probe/messaging/dead-letters/{letter.MessageId}/replay", null);
            (await replay.ReadAsAsync<Replay>(HttpStatusCode.OK)).Replayed.Should().Be(1);
            await Eventually.MatchAsync(
                () => Task.FromResult(File.ReadLines(Path.Combine(folder.Path, "probe-starts.log")).Count()),
                starts => starts == 3, because: "two deliveries that crashed, and the replay");
            await Eventually.MatchAsync(async () => (await host.Client.GetFromJsonAsync<JsonElement>("/api/probe/effects")).GetProperty("doubled").GetInt32() == 0
                && (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/probe/messaging/dead-letters"))!.All(l => l.MessageId != letter.MessageId), done => done);
            _ = ping;
        }
        finally
        {
            await broker.DeleteAsync(TestBroker.SubscribingModules);
        }
    }

    [Fact]
    public async Task What_a_module_may_not_take_is_never_acknowledged_away_it_ends_as_a_dead_letter_an_administrator_sees()
    {
        using var factory = PlatformFactory.Over(TestBroker.RabbitMQ).With("Messaging:RabbitMQ:DeliveryLimit", "1");
        var broker = factory.Broker!;
        var admin = await factory.CreateAdminClientAsync();
        await RabbitMq.ConnectedAsync(factory);
        var userId = Guid.NewGuid();
        var payload = $$"""{"userId":"{{userId}}","email":"forged@example.com","displayName":"Forged","roles":["Customer"]}""";
        var forged = Guid.NewGuid();
        var unhandled = Guid.NewGuid();

        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Straight into Notifications' queue: a registration that Probe claims to have published, and a ping
            // (an event this version of Notifications has no handler for, as an older instance during a deploy).
            await channel.BasicPublishAsync(string.Empty, broker.Queue("Notifications"), mandatory: false, Properties(forged, "identity.user-registered", "Probe"), System.Text.Encoding.UTF8.GetBytes(payload));
            await channel.BasicPublishAsync(string.Empty, broker.Queue("Notifications"), mandatory: false, Properties(unhandled, "probe.pinged", "Probe"),
                System.Text.Encoding.UTF8.GetBytes($$"""{"pingId":"{{Guid.NewGuid()}}","behaviour":"normal"}"""));
        }

        var letters = await Eventually.MatchAsync(
            () => admin.GetFromJsonAsync<List<DeadLetter>>("/api/notifications/messaging/dead-letters")!,
            found => found!.Any(l => l.MessageId == forged) && found!.Any(l => l.MessageId == unhandled), TimeSpan.FromSeconds(20));

        letters!.Single(l => l.MessageId == forged).LastError.Should().Contain("it was rejected");
        letters!.Single(l => l.MessageId == unhandled).LastError.Should().Contain("delivery limit");
        (await factory.NotificationsOfAsync(userId)).Should().BeEmpty("a forged registration has no effect");
        factory.Logs.Lines.Should().Contain(l => l.Contains("but Identity owns that event", StringComparison.Ordinal));
        (await TestBroker.TotalAsync(broker.Queue("Notifications"))).Should().Be(0);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_by_the_broker_has_one_effect()
    {
        using var factory = PlatformFactory.Over(TestBroker.RabbitMQ);
        var broker = factory.Broker!;
        factory.CreateClient();
        await RabbitMq.ConnectedAsync(factory);
        var userId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var payload = System.Text.Encoding.UTF8.GetBytes($$"""{"userId":"{{userId}}","email":"twice@example.com","displayName":"Twice","roles":["Customer"]}""");

        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // What a lost confirm or a lost ack leaves behind: the same message twice, routed as the outbox routes it.
            for (var copy = 0; copy < 2; copy++)
            {
                await channel.BasicPublishAsync(broker.Exchange, "identity.user-registered", mandatory: false, Properties(messageId, "identity.user-registered", "Identity"), payload);
            }
        }

        await Eventually.MatchAsync(() => TestBroker.TotalAsync(broker.Queue("Notifications")), count => count == 0, TimeSpan.FromSeconds(15), "both copies were acknowledged");
        (await factory.NotificationsOfAsync(userId)).Should().ContainSingle();
        (await factory.InboxOfNotificationsAsync(messageId)).Should().ContainSingle().Which.ProcessedAt.Should().NotBeNull();
    }

    private static BasicProperties Properties(Guid messageId, string type, string source) => new()
    {
        MessageId = messageId.ToString(),
        Type = type,
        AppId = source,
        ContentType = "application/json",
        Persistent = true,
        Headers = new Dictionary<string, object?> { ["occurred-at-ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
    };

    private static Task<int> IdentityOutboxWaitingAsync(PlatformFactory factory) =>
        factory.InScopeAsync<IdentityDbContext, int>(db => db.Set<OutboxMessage>().CountAsync(m => m.ProcessedAt == null));

    private static async Task<HttpClient> SignedInAsync(HostProcess host, string email, string password)
    {
        var tokens = await (await host.Client.LoginAsync(email, password)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    private sealed record DeadLetter(Guid MessageId, string Type, string? Handler, string? LastError);

    private sealed record Replay(int Replayed);
}

/// <summary>Stops the broker under running hosts: alone, since every broker test shares the one broker.</summary>
[CollectionDefinition(nameof(BrokerOutage), DisableParallelization = true)]
public sealed class BrokerOutage;

[Collection(nameof(BrokerOutage))]
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Events_published_while_the_broker_is_down_wait_in_the_outbox_and_are_all_delivered_once_soon_after_it_returns()
    {
        using var factory = PlatformFactory.Over(TestBroker.RabbitMQ);
        var client = factory.CreateClient();
        await RabbitMq.ConnectedAsync(factory);
        var pings = await client.PingAsync(20);
        Stopwatch returned;
        // Pings go on while the node stops, so some are out (sent, not yet confirmed) when it goes.
        using var publishing = new CancellationTokenSource();
        var during = Task.Run(async () =>
        {
            var sent = new List<Guid>();
            while (!publishing.IsCancellationRequested)
            {
                sent.AddRange(await client.PingAsync(5));
                await Task.Delay(50, CancellationToken.None);
            }

            return sent;
        });
        await Task.Delay(200);
        var outage = await TestBroker.OutageAsync();
        try
        {
            await publishing.CancelAsync();
            pings.AddRange(await during);
            await Eventually.MatchAsync(async () => (await RabbitMq.ReadinessAsync(factory)).GetProperty("status").GetString(), status => status == "Degraded");
            for (var i = 0; i < 10; i++)
            {
                pings.AddRange(await client.PingAsync(5));
                await Task.Delay(100);
            }

            (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "a broker outage degrades readiness; the outbox holds the events");
        }
        finally
        {
            await outage.DisposeAsync();
            returned = Stopwatch.StartNew();
        }

        var effects = await Eventually.MatchAsync(() => EffectsOfAsync(factory, pings), found => found.Count == pings.Count, TimeSpan.FromSeconds(30));
        var resumedWithin = returned.Elapsed;
        effects.Should().OnlyHaveUniqueItems("each ping has one effect");
        await Task.Delay(1_000); // a second copy of any of them would show up by now
        (await EffectsOfAsync(factory, pings)).Should().HaveCount(pings.Count).And.OnlyHaveUniqueItems();
        resumedWithin.Should().BeLessThan(TimeSpan.FromSeconds(5), "delivery resumes within 5 s of the broker's return");
    }

    private static Task<List<Guid>> EffectsOfAsync(PlatformFactory factory, List<Guid> pings) =>
        factory.InScopeAsync<Platform.Modules.Probe.Persistence.ProbeDbContext, List<Guid>>(db =>
            db.Effects.Where(e => e.PingId != null && pings.Contains(e.PingId.Value)).Select(e => e.PingId!.Value).ToListAsync());
}

internal static class RabbitMq
{
    public static Task ConnectedAsync(PlatformFactory factory) =>
        Eventually.MatchAsync(async () => (await ReadinessAsync(factory)).GetProperty("status").GetString(), status => status == "Healthy", because: "the host connects to the broker");

    public static async Task<JsonElement> ReadinessAsync(PlatformFactory factory)
    {
        var ready = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/health/ready")).RootElement;
        return ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "rabbitmq").Clone();
    }

    /// <summary>rabbitmqctl against the local node, as .ci/run started it.</summary>
    public static Task CtlAsync(string command) => TestBroker.CtlAsync(command);
}
