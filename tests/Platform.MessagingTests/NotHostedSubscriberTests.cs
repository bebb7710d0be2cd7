using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defect 1: a host that runs the publisher but not the subscriber must not swallow the subscriber's events.</summary>
public sealed class NotHostedSubscriberTests
{
    [Fact]
    public async Task Deliveries_for_a_module_not_hosted_here_wait_visibly_until_a_host_that_hosts_it_runs_on_the_same_data()
    {
        using var folder = new TempDataFolder();
        User user;
        using (var publisherOnly = PlatformFactory.On(folder.Path).With("Modules:Notifications:Enabled", "false"))
        {
            using var metrics = new HostMetrics(publisherOnly.Services);
            user = await publisherOnly.RegisterUserAsync();
            var messageId = (await publisherOnly.UserRegisteredMessageAsync(user.Id, "Probe")).MessageId;

            // The subscriber that is hosted here gets its copy; the one that is not keeps waiting.
            await Eventually.MatchAsync(() => publisherOnly.ProbeEffectsAsync(messageId), effects => effects.Count == 1);
            await Task.Delay(300);
            var waiting = await publisherOnly.UserRegisteredMessageAsync(user.Id, "Notifications");
            waiting.ProcessedAt.Should().BeNull("Notifications does not have the message");
            waiting.ClaimToken.Should().BeNull("nobody here can deliver it, so nobody holds it");

            publisherOnly.Logs.Lines.Should().Contain(line => line.Contains("Warning") && line.Contains("Identity publishes to Notifications, not hosted here"));
            var ready = JsonDocument.Parse(await publisherOnly.CreateClient().GetStringAsync("/health/ready")).RootElement;
            var identity = ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "identity-messaging");
            identity.GetProperty("data").GetProperty("outboxWaiting").GetInt64().Should().BeGreaterThanOrEqualTo(1);
            await Eventually.MatchAsync(
                () =>
                {
                    metrics.Observe();
                    return Task.FromResult(metrics.Latest("platform.messaging.backlog", ("module", "Identity"), ("store", "outbox"), ("destination", "Notifications")));
                },
                backlog => backlog >= 1,
                because: "the waiting deliveries show in the backlog gauge");
        }

        using var full = PlatformFactory.On(folder.Path);
        full.CreateClient();
        await Eventually.MatchAsync(() => full.NotificationsOfAsync(user.Id), n => n.Count == 1, TimeSpan.FromSeconds(15));
        await Eventually.MatchAsync(() => full.UserRegisteredMessageAsync(user.Id, "Notifications"), row => row.ProcessedAt is not null,
            because: "the delivery is marked done once Notifications has it");
        await Task.Delay(300);
        (await full.NotificationsOfAsync(user.Id)).Should().HaveCount(1);
    }
}
