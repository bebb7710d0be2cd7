using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.MessagingTests;

/// <summary>Issue 7, item 10: what an administrator can see and do beyond replay.</summary>
public sealed class OperatorTests : IDisposable
{
    private readonly PlatformFactory _factory = new PlatformFactory()
        .With("Messaging:MaxAttempts", "1")
        .With("Messaging:BacklogAgeThreshold", "00:00:00.500")
        .With("Probe:FailurePercent", "100");

    [Fact]
    public async Task A_dead_letter_can_be_discarded_with_a_reason_that_is_kept_and_is_never_replayed()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var ping = (await admin.PingAsync()).Single();
        var messageId = (await _factory.PingRowsAsync([ping])).Single().MessageId;
        await Eventually.MatchAsync(() => admin.GetFromJsonAsync<List<DeadLetter>>("/api/probe/messaging/dead-letters")!, letters => letters!.Any(l => l.MessageId == messageId));

        await (await admin.PostAsJsonAsync($"/api/probe/messaging/dead-letters/{messageId}/discard", new { reason = " " })).ShouldHaveFieldErrorsAsync("reason");
        var discard = await admin.PostAsJsonAsync($"/api/probe/messaging/dead-letters/{messageId}/discard", new { reason = "A test ping nobody needs." });
        (await discard.ReadAsAsync<DiscardResult>(HttpStatusCode.OK)).Discarded.Should().Be(1);

        (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/probe/messaging/dead-letters"))!.Should().NotContain(l => l.MessageId == messageId);
        var kept = (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/probe/messaging/dead-letters?includeDiscarded=true"))!.Single(l => l.MessageId == messageId);
        kept.DiscardReason.Should().Be("A test ping nobody needs.");
        kept.DiscardedAt.Should().NotBeNull();
        await (await admin.PostAsync($"/api/probe/messaging/dead-letters/{messageId}/replay", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync($"/api/probe/messaging/dead-letters/{messageId}/discard", new { reason = "again" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Waiting_rows_are_listed_per_module_and_readiness_reports_the_backlog_age()
    {
        using var publisherOnly = new PlatformFactory().With("Modules:Notifications:Enabled", "false").With("Messaging:BacklogAgeThreshold", "00:00:00.500");
        var admin = await publisherOnly.CreateAdminClientAsync();
        var user = await publisherOnly.RegisterUserAsync();

        var pending = (await admin.GetFromJsonAsync<List<Pending>>("/api/identity/messaging/pending"))!;
        pending.Should().Contain(p => p.Stage == "deliver" && p.Destination == "Notifications" && p.Type == "identity.user-registered");
        await (await publisherOnly.CreateClient().GetAsync("/api/identity/messaging/pending")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        await Task.Delay(700);
        var ready = JsonDocument.Parse(await publisherOnly.CreateClient().GetStringAsync("/health/ready")).RootElement;
        var identity = ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "identity-messaging");
        identity.GetProperty("status").GetString().Should().Be("Degraded");
        identity.GetProperty("description").GetString().Should().Contain("Messaging:BacklogAgeThreshold");
        identity.GetProperty("data").GetProperty("outboxOldestSeconds").GetDouble().Should().BeGreaterThan(0.5);
        _ = user;
    }

    public void Dispose() => _factory.Dispose();

    private sealed record DeadLetter(Guid MessageId, string Stage, string? Handler, DateTimeOffset? DiscardedAt, string? DiscardReason);

    private sealed record DiscardResult(int Discarded);

    private sealed record Pending(Guid MessageId, string Stage, string Type, string? Destination, string? Handler, int Attempts);
}
