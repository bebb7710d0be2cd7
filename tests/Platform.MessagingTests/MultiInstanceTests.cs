using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Contracts;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

public sealed class MultiInstanceTests
{
    [Fact]
    public async Task Two_instances_on_one_database_dispatch_each_event_exactly_once()
    {
        const int events = 60;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "platform-tests", Guid.NewGuid().ToString("N"));
        var published = new ConcurrentDictionary<string, byte>();
        var dispatches = new ConcurrentDictionary<string, int>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "dispatch identity.user-registered" && activity.GetTagItem("messaging.message.id") is string id && published.ContainsKey(id))
                {
                    dispatches.AddOrUpdate($"{id} to {activity.GetTagItem("platform.destination")}", 1, (_, n) => n + 1);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        try
        {
            using var first = PlatformFactory.On(dataDirectory);
            first.CreateClient();
            using var second = PlatformFactory.On(dataDirectory);
            second.CreateClient();

            // Both instances publish, so both dispatchers are woken and race for the same rows.
            await Task.WhenAll(PublishAsync(first, events / 2, published), PublishAsync(second, events / 2, published));

            await Eventually.MatchAsync(() => Task.FromResult(dispatches.Count), count => count == events * 2, TimeSpan.FromSeconds(20));
            await Task.Delay(500);
            dispatches.Values.Should().OnlyContain(count => count == 1, "a claimed row belongs to one instance");
            await using var scope = first.Services.CreateAsyncScope();
            var notifications = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.CountAsync(n => n.Subject == "Welcome, Twin");
            notifications.Should().Be(events);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task PublishAsync(PlatformFactory host, int count, ConcurrentDictionary<string, byte> published)
    {
        for (var i = 0; i < count; i++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = scope.ServiceProvider.GetRequiredService<IEventPublisher>()
                .Publish(new UserRegistered(Guid.NewGuid(), $"twin-{Guid.NewGuid():N}@example.com", "Twin", ["Customer"]));
            published[id.ToString()] = 0;
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
    }
}
