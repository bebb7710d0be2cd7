using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

public sealed class ObservabilityAndStartupTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_legacy_hierarchical_trace_id_of_any_length_is_kept_whole_and_the_handler_joins_its_trace()
    {
        // Hierarchical ids (the pre-W3C Request-Id format) grow with every hop; this caller's is 131 characters.
        var root = new string('a', 32);
        var requestId = "|" + root + ".x" + string.Join(".", Enumerable.Range(1, 24).Select(i => i.ToString("x3", System.Globalization.CultureInfo.InvariantCulture))) + ".";
        requestId.Length.Should().Be(131);
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        factory.CreateClient();

        Guid messageId;
        using (var legacyCaller = new Activity("legacy-caller"))
        {
            legacyCaller.SetIdFormat(ActivityIdFormat.Hierarchical);
            legacyCaller.SetParentId(requestId);
            legacyCaller.Start();
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            messageId = scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new UserRegistered(Guid.NewGuid(), "legacy@example.com", "Legacy", ["Customer"]));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var row = await factory.InScopeAsync<IdentityDbContext, OutboxMessage>(db => db.Set<OutboxMessage>().AsNoTracking().FirstAsync(m => m.MessageId == messageId));
        row.TraceParent.Should().StartWith(requestId, "the whole id is stored, not cut at 64 characters");
        var handled = await Eventually.MatchAsync(
            () => Task.FromResult(spans.Where(s => s.OperationName == "process identity.user-registered" && (string?)s.GetTagItem("messaging.message.id") == messageId.ToString()).ToList()),
            found => found.Count == 2);
        handled.Should().OnlyContain(span => span.RootId == root, "each handler's span belongs to the caller's trace");
    }

    [Fact]
    public async Task Published_counts_only_events_whose_transaction_committed_and_skipped_duplicates_are_counted_and_logged()
    {
        factory.CreateClient();
        using var metrics = new HostMetrics(factory.Services);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(new UserRegistered(Guid.NewGuid(), "rolled-back@example.com", "R", ["Customer"]));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        metrics.Sum("platform.messaging.published", ("module", "Identity")).Should().Be(0, "the transaction rolled back");

        var user = await factory.RegisterUserAsync();
        metrics.Sum("platform.messaging.published", ("module", "Identity"), ("type", "identity.user-registered")).Should().Be(1, "one event, whatever the number of subscribers");
        var envelope = (await factory.UserRegisteredMessageAsync(user.Id)).ToEnvelope();
        await Eventually.MatchAsync(() => factory.NotificationsOfAsync(user.Id), n => n.Count == 1);

        await factory.Services.GetRequiredService<InboxProcessor>().DeliverAsync("Notifications", envelope, default);

        metrics.Sum("platform.messaging.duplicates", ("module", "Notifications")).Should().Be(1);
        factory.Logs.Lines.Should().Contain(line => line.Contains($"notifications.welcome skipped {envelope.MessageId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messaging_metrics_are_tagged_by_module()
    {
        var seen = new ConcurrentBag<(string Instrument, string? Module, double Value)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Add((instrument.Name, Module(tags), value)));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Add((instrument.Name, Module(tags), value)));
        meters.Start();

        await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail());

        // "dispatched" is written with the outcome batch, after the subscriber's commit was synced.
        await Eventually.MatchAsync(() => Task.FromResult(seen.ToList()), s =>
            s.Any(m => m.Instrument == "platform.messaging.handle.latency" && m.Module == "Notifications")
            && s.Any(m => m.Instrument == "platform.messaging.dispatched" && m.Module == "Identity"));
        seen.Should().Contain(m => m.Instrument == "platform.messaging.published" && m.Module == "Identity");
        seen.Should().Contain(m => m.Instrument == "platform.messaging.handled" && m.Module == "Notifications");
        meters.RecordObservableInstruments();
    }

    [Fact]
    public void The_host_refuses_to_start_when_a_subscribed_event_has_no_publisher_here()
    {
        // Tokens can be checked (Identity's address and this process's credential are given); the events cannot flow.
        using var withoutIdentity = new PlatformFactory().With("Modules:Identity:Enabled", "false")
            .With("Modules:Identity:Url", "http://127.0.0.1:9/")
            .With("Service:Name", "probe-host").With("Service:Secret", new string('s', 16) + Guid.NewGuid().ToString("N"));

        var start = () => withoutIdentity.CreateClient();

        start.Should().Throw<InvalidOperationException>()
            .WithMessage("*Notifications subscribes to 'identity.user-registered'*Modules:Identity:Enabled=true*");
    }

    private static string? Module(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "module")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
