using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Modules.Notifications.Features.Sending;

namespace Platform.MessagingTests;

public sealed class FailureAndRecoveryTests
{
    [Theory]
    [MemberData(nameof(TestBroker.Transports), MemberType = typeof(TestBroker))]
    public async Task A_handler_that_keeps_failing_is_dead_lettered_after_max_attempts_and_delivered_once_replayed(string transport)
    {
        var sender = new SwitchableSender { Failing = true };
        using var factory = PlatformFactory.Over(transport)
            .With("Messaging:MaxAttempts", "3")
            .With("Messaging:RetryBaseDelay", "00:00:00.010")
            .WithServices(services => services.Replace(ServiceDescriptor.Singleton<INotificationSender>(sender)));
        var admin = await factory.CreateAdminClientAsync();
        var user = await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail())).ReadAsAsync<User>(HttpStatusCode.Created);
        var messageId = (await factory.UserRegisteredMessageAsync(user.Id)).MessageId;

        var deadLetters = await Eventually.MatchAsync(
            () => admin.GetFromJsonAsync<List<DeadLetter>>("/api/notifications/messaging/dead-letters")!,
            letters => letters!.Any(l => l.MessageId == messageId));

        var letter = deadLetters!.Single(l => l.MessageId == messageId);
        letter.Should().BeEquivalentTo(new { Stage = "handle", Type = "identity.user-registered", Attempts = 3, SourceModule = "Identity" });
        letter.LastError.Should().Contain("The mail server is down.");
        letter.Handler.Should().Be("notifications.welcome");
        (await factory.NotificationsOfAsync(user.Id)).Where(n => n.Kind == "Welcome").Should().BeEmpty("nothing half-done is kept");
        sender.Attempts.Should().BeGreaterThanOrEqualTo(3);

        sender.Failing = false;
        var replay = await admin.PostAsync($"/api/notifications/messaging/dead-letters/{messageId}/replay", null);
        (await replay.ReadAsAsync<Replay>(HttpStatusCode.OK)).Replayed.Should().Be(1);

        await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count == 1);
        (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/notifications/messaging/dead-letters"))!
            .Should().NotContain(l => l.MessageId == messageId);
        await (await admin.PostAsync($"/api/notifications/messaging/dead-letters/{messageId}/replay", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestBroker.Transports), MemberType = typeof(TestBroker))]
    public async Task A_failing_handler_is_retried_and_succeeds_without_a_dead_letter(string transport)
    {
        var email = IdentityApi.NewEmail();
        var sender = new SwitchableSender { FailFirst = 2, FailingRecipient = email };
        using var factory = PlatformFactory.Over(transport)
            .With("Messaging:RetryBaseDelay", "00:00:00.010")
            .WithServices(services => services.Replace(ServiceDescriptor.Singleton<INotificationSender>(sender)));
        var user = await (await factory.CreateClient().RegisterAsync(email)).ReadAsAsync<User>(HttpStatusCode.Created);

        await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count == 1);

        var inbox = await factory.InboxOfNotificationsAsync((await factory.UserRegisteredMessageAsync(user.Id)).MessageId);
        inbox.Single().Attempts.Should().BeGreaterThanOrEqualTo(2, "the failed attempts are recorded");
        inbox.Single().DeadLetteredAt.Should().BeNull();
    }

    [Fact]
    public async Task An_event_committed_just_before_the_process_stopped_is_delivered_once_after_restart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "platform-tests", Guid.NewGuid().ToString("N"));
        try
        {
            User user;
            // The first process commits the registration but stops before any dispatch happens.
            using (var first = PlatformFactory.On(dataDirectory).With("Messaging:DispatcherEnabled", "false"))
            {
                user = await (await first.CreateClient().RegisterAsync(IdentityApi.NewEmail())).ReadAsAsync<User>(HttpStatusCode.Created);
                (await first.UserRegisteredMessageAsync(user.Id)).ProcessedAt.Should().BeNull();
                await Task.Delay(200);
                (await first.NotificationsOfAsync(user.Id)).Should().BeEmpty();
            }

            using var second = PlatformFactory.On(dataDirectory);
            second.CreateClient();
            await Eventually.MatchAsync(() => second.NotificationsOfAsync(user.Id), n => n.Count > 0);
            await Task.Delay(300);
            (await second.NotificationsOfAsync(user.Id)).Should().HaveCount(1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Dead_letter_endpoints_are_for_administrators_only()
    {
        using var factory = new PlatformFactory();
        var customer = await factory.CreateCustomerClientAsync();

        await (await customer.GetAsync("/api/notifications/messaging/dead-letters")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.CreateClient().PostAsync("/api/identity/messaging/dead-letters/replay", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private sealed record DeadLetter(Guid MessageId, string Stage, string Type, string? Handler, string SourceModule, int Attempts, string? LastError);

    private sealed record Replay(int Replayed);

    private sealed class SwitchableSender : INotificationSender
    {
        private int _attempts;

        public bool Failing { get; set; }

        /// <summary>Fails this many first attempts for <see cref="FailingRecipient"/> only.</summary>
        public int FailFirst { get; init; }

        public string? FailingRecipient { get; init; }

        private int _recipientAttempts;

        public int Attempts => _attempts;

        public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            var recipientAttempt = notification.Recipient == FailingRecipient ? Interlocked.Increment(ref _recipientAttempts) : int.MaxValue;
            if (Failing || recipientAttempt <= FailFirst)
            {
                throw new InvalidOperationException("The mail server is down.");
            }

            return Task.CompletedTask;
        }
    }
}
