using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Notifications.Domain;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Issue 7, defect 4: only the inbox key means "delivered before"; a handler's own key violation is a failure.</summary>
public sealed class HandlerFailureTests : IDisposable
{
    private readonly PlatformFactory _factory = new PlatformFactory()
        .With("Messaging:MaxAttempts", "2")
        .With("Messaging:RetryBaseDelay", "00:00:00.010");

    [Fact]
    public async Task A_handler_that_breaks_its_own_unique_key_is_retried_and_dead_lettered_not_taken_for_a_duplicate()
    {
        _factory.CreateClient();
        using var metrics = new HostMetrics(_factory.Services);
        var messageId = Guid.NewGuid();
        await _factory.InScopeAsync<NotificationsDbContext>(async db =>
        {
            db.Notifications.Add(Notification.Create(Guid.NewGuid(), "x@example.com", NotificationKind.Welcome, "s", "b", messageId, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        var envelope = new MessageEnvelope(messageId, "identity.user-registered", DateTimeOffset.UtcNow, "Identity",
            """{"userId":"0196c0a6-0000-7000-8000-000000000001","email":"y@example.com","displayName":"Y","roles":["Customer"]}""", null, null);

        var result = await _factory.Services.GetRequiredService<InboxProcessor>().DeliverAsync("Notifications", envelope, default);

        result.Outcome.Should().Be(DeliveryOutcome.FailureStored);
        var stored = (await _factory.InboxOfNotificationsAsync(messageId)).Single();
        stored.ProcessedAt.Should().BeNull();
        stored.LastError.Should().Contain("DbUpdateException");
        var parked = await Eventually.MatchAsync(() => _factory.InboxOfNotificationsAsync(messageId), rows => rows.Single().DeadLetteredAt is not null);
        parked.Single().Attempts.Should().Be(2);
        metrics.Sum("platform.messaging.duplicates").Should().Be(0);
        _factory.Logs.Lines.Should().Contain(line => line.Contains("notifications.welcome failed on " + messageId, StringComparison.Ordinal));
    }

    public void Dispose() => _factory.Dispose();
}
