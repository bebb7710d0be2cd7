using Microsoft.EntityFrameworkCore;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>
/// Issue 7, defect 6: a row another instance holds must not make a loop claim in a tight circle (each
/// claim is a SQLite write). The loop sleeps until the other's lease ends, then takes the row at once.
/// </summary>
public sealed class NoSpinTests : IDisposable
{
    private readonly PlatformFactory _factory = new();

    [Fact]
    public async Task An_idle_host_sleeps_instead_of_spinning_its_workers()
    {
        using var folder = new TempDataFolder();
        await using var host = await HostProcess.StartAsync(HostProcess.ProbeHost, folder.Path);
        await host.Client.PingAsync(3);

        // Start-up work (JIT tiering, the first housekeeping) settles within seconds; then a second of
        // idleness costs a few milliseconds. A worker that spins burns a whole core in every window.
        var window = await Eventually.MatchAsync(
            async () =>
            {
                var before = host.ProcessorTime;
                await Task.Delay(1_000);
                return host.ProcessorTime - before;
            },
            used => used < TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(30), "an idle host's workers wait for work or a timer");
        window.Should().BeLessThan(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task A_retry_held_by_another_instance_is_waited_for_not_polled_in_a_loop()
    {
        _factory.CreateClient();
        using var metrics = new HostMetrics(_factory.Services);
        var messageId = Guid.NewGuid();
        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            db.Set<InboxMessage>().Add(new InboxMessage
            {
                MessageId = messageId, Handler = "probe.record", Type = "probe.pinged", SourceModule = "Probe",
                Payload = $$"""{"pingId":"{{Guid.NewGuid()}}","behaviour":"normal"}""",
                OccurredAt = DateTimeOffset.UtcNow, ReceivedAt = DateTimeOffset.UtcNow, Attempts = 1, DueAt = 0,
                LockedUntil = MessagingProbe.NowMs + 2_000, ClaimToken = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        });

        await Task.Delay(1_500);
        metrics.Sum("platform.messaging.claims", ("module", "Probe"), ("store", "inbox")).Should().BeLessThanOrEqualTo(2, "nothing was claimable while the other instance held the row");

        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(messageId), effects => effects.Count == 1, TimeSpan.FromSeconds(5),
            "once the other instance's lease ran out, the row is taken over");
    }

    [Fact]
    public async Task An_outbox_row_held_by_another_instance_is_waited_for_not_polled_in_a_loop()
    {
        var client = _factory.CreateClient();
        using var metrics = new HostMetrics(_factory.Services);
        var ping = (await client.PingAsync()).Single();
        var row = (await _factory.PingRowsAsync([ping])).Single();
        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(row.MessageId), effects => effects.Count == 1);

        // The same delivery again, held by someone else for two more seconds.
        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            await db.Effects.ExecuteDeleteAsync();
            await db.Set<InboxMessage>().Where(m => m.MessageId == row.MessageId).ExecuteDeleteAsync();
            await db.Set<OutboxMessage>().Where(m => m.Sequence == row.Sequence).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null)
                .SetProperty(m => m.LockedUntil, MessagingProbe.NowMs + 2_000)
                .SetProperty(m => m.ClaimToken, Guid.NewGuid()));
        });
        var before = metrics.Sum("platform.messaging.claims", ("module", "Probe"), ("store", "outbox"));

        await Task.Delay(1_500);
        (metrics.Sum("platform.messaging.claims", ("module", "Probe"), ("store", "outbox")) - before).Should().BeLessThanOrEqualTo(2);

        await Eventually.MatchAsync(() => _factory.ProbeEffectsAsync(row.MessageId), effects => effects.Count == 1, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _factory.Dispose();
}
