using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>
/// Issue 7, defect 3: a replay reaches only the subscriber that failed, and an outbox dead letter
/// older than the subscribers' de-duplication record is refused instead of risking a second effect.
/// </summary>
public sealed class ReplayAndRetentionTests : IDisposable
{
    private readonly PlatformFactory _factory = new PlatformFactory().With("Messaging:RetainProcessedFor", "1.00:00:00");

    [Fact]
    public async Task Replaying_an_outbox_dead_letter_sends_it_only_to_the_destination_that_failed()
    {
        using var metrics = new HostMetrics(_factory.Services);
        var admin = await _factory.CreateAdminClientAsync();
        var user = await _factory.RegisterUserAsync();
        var toProbe = await _factory.UserRegisteredMessageAsync(user.Id, "Probe");
        await Eventually.MatchAsync(() => _factory.NotificationsOfAsync(user.Id), n => n.Count == 1);
        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(toProbe.MessageId), e => e.Count == 1);
        // The "delivered" mark trails the effect (it is written in batches after the subscriber's commit); a
        // mark landing after the rewrite below would make the row delivered again.
        await Eventually.MatchAsync(() => _factory.UserRegisteredMessageAsync(user.Id, "Probe"), m => m.ProcessedAt is not null);

        // As if the delivery to Probe had never got through: Probe has no trace of it, and the outbox parked it.
        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            await db.Effects.Where(e => e.MessageId == toProbe.MessageId).ExecuteDeleteAsync();
            await db.Set<InboxMessage>().Where(m => m.MessageId == toProbe.MessageId).ExecuteDeleteAsync();
        });
        await DeadLetterAsync(toProbe.Sequence, DateTimeOffset.UtcNow);
        (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/identity/messaging/dead-letters"))!
            .Should().ContainSingle(d => d.MessageId == toProbe.MessageId).Which.Destination.Should().Be("Probe");

        var replay = await admin.PostAsync($"/api/identity/messaging/dead-letters/{toProbe.MessageId}/replay", null);

        (await replay.ReadAsAsync<Replay>(HttpStatusCode.OK)).Replayed.Should().Be(1);
        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(toProbe.MessageId), e => e.Count == 1);
        await Task.Delay(300);
        (await _factory.NotificationsOfAsync(user.Id)).Should().HaveCount(1);
        metrics.Sum("platform.messaging.duplicates", ("module", "Notifications")).Should().Be(0, "Notifications was not sent the message again at all");
    }

    [Fact]
    public async Task An_outbox_dead_letter_older_than_the_retention_is_refused_with_the_reason()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var user = await _factory.RegisterUserAsync();
        var toProbe = await _factory.UserRegisteredMessageAsync(user.Id, "Probe");
        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(toProbe.MessageId), e => e.Count == 1);
        await DeadLetterAsync(toProbe.Sequence, DateTimeOffset.UtcNow.AddDays(-2));

        var one = await admin.PostAsync($"/api/identity/messaging/dead-letters/{toProbe.MessageId}/replay", null);
        var all = await admin.PostAsync("/api/identity/messaging/dead-letters/replay", null);

        (await one.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()
            .Should().Contain("Messaging:RetainProcessedFor").And.Contain("Discard it instead");
        var result = await all.ReadAsAsync<Replay>(HttpStatusCode.OK);
        result.Refused.Should().Be(1);
        result.Replayed.Should().Be(0);
        (await _factory.UserRegisteredMessageAsync(user.Id, "Probe")).DeadLetteredAt.Should().NotBeNull("it stays parked");
    }

    public void Dispose() => _factory.Dispose();

    private Task DeadLetterAsync(long sequence, DateTimeOffset occurredAt) =>
        _factory.InScopeAsync<IdentityDbContext>(db => db.Set<OutboxMessage>().Where(m => m.Sequence == sequence).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null)
            .SetProperty(m => m.DeadLetteredAt, DateTimeOffset.UtcNow)
            .SetProperty(m => m.OccurredAt, occurredAt)
            .SetProperty(m => m.Attempts, 10)
            .SetProperty(m => m.LastError, "The subscriber's database was unreachable.")));

    private sealed record DeadLetter(Guid MessageId, string Stage, string? Destination, string? Handler);

    private sealed record Replay(int Replayed, int Refused, List<string> Reasons);
}
