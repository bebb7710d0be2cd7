using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Platform.Shared.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>
/// Issue 7, defect 2: a claim whose lease ran out must not change a row another claim holds, and a
/// retry must re-check that its row is still waiting. On SQLite a live race cannot even start (one
/// writer; the handler transaction holds the write lock), so the interleavings are played out step by
/// step here, and SQL Server's statements are checked for the same fences in SqlServerStatementTests.
/// </summary>
public sealed class FencingTests(FencingTests.NoDispatcher factory) : IClassFixture<FencingTests.NoDispatcher>
{
    private readonly PlatformFactory _factory = factory;

    [Fact]
    public async Task A_claim_taken_over_after_its_lease_ran_out_can_no_longer_complete_fail_or_release_the_row()
    {
        var ping = (await _factory.CreateClient().PingAsync()).Single();
        var sequence = (await _factory.PingRowsAsync([ping])).Single().Sequence;
        var now = MessagingProbe.NowMs;
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var failure = RetryPolicy.Decide(1, new InvalidOperationException("late"), final: false, DateTimeOffset.UtcNow, new MessagingOptions());

        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            (await Claim(db, now, a)).Should().Contain(r => r.Sequence == sequence);
            (await Claim(db, now + 50, b)).Should().NotContain(r => r.Sequence == sequence, "A's lease still holds");
            var takenOver = await Claim(db, now + 1_000, b);
            takenOver.Single(r => r.Sequence == sequence).Attempts.Should().Be(2, "each claim counts an attempt");

            (await MessageStore.CompleteOutboxAsync(db, a, [sequence], DateTimeOffset.UtcNow, default)).Should().Be(0);
            (await MessageStore.FailOutboxAsync(db, sequence, a, failure, default)).Should().Be(0);
            (await MessageStore.ReleaseOutboxAsync(db, a, [sequence], default)).Should().Be(0);

            (await MessageStore.CompleteOutboxAsync(db, b, [sequence], DateTimeOffset.UtcNow, default)).Should().Be(1);
            (await MessageStore.FailOutboxAsync(db, sequence, b, failure, default)).Should().Be(0, "a late failure never lands on a row already done");
            var row = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(r => r.Sequence == sequence);
            row.ProcessedAt.Should().NotBeNull();
            row.LastError.Should().BeNull();
        });
    }

    [Fact]
    public async Task A_retry_whose_claim_was_taken_over_runs_no_handler_and_writes_nothing()
    {
        var messageId = Guid.NewGuid();
        var envelope = new MessageEnvelope(messageId, "probe.pinged", DateTimeOffset.UtcNow, "Probe",
            $$"""{"pingId":"{{Guid.NewGuid()}}","behaviour":"normal"}""", null, null);
        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            db.Set<InboxMessage>().Add(new InboxMessage
            {
                MessageId = messageId, Handler = "probe.record", Type = envelope.Type, Payload = envelope.Payload, SourceModule = "Probe",
                OccurredAt = envelope.OccurredAt, ReceivedAt = envelope.OccurredAt, Attempts = 1, DueAt = 0, LastError = "failed once",
            });
            await db.SaveChangesAsync();
        });

        var now = MessagingProbe.NowMs;
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await _factory.InScopeAsync<ProbeDbContext>(async db =>
        {
            (await MessageStore.ClaimInboxAsync(db, now, now + 100, a, 10, 50, default)).Should().Contain(r => r.MessageId == messageId);
            (await MessageStore.ClaimInboxAsync(db, now + 1_000, now + 2_000, b, 10, 50, default)).Should().Contain(r => r.MessageId == messageId);
        });
        var inbox = _factory.Services.GetRequiredService<InboxProcessor>();

        var byB = await inbox.ProcessAsync("Probe", new Delivery(envelope, new FromInbox("probe.record", b, 3), null), default);
        var byA = await inbox.ProcessAsync("Probe", new Delivery(envelope, new FromInbox("probe.record", a, 2), null), default);

        byB.Outcome.Should().Be(DeliveryOutcome.Handled);
        byA.Outcome.Should().Be(DeliveryOutcome.Fenced);
        MessagingProbe.ProbeStarts(_factory.DataDirectory, messageId).Should().Be(1, "the stale claim never started the handler");
        (await _factory.ProbeEffectsAsync(messageId)).Should().ContainSingle();
        var row = await _factory.InScopeAsync<ProbeDbContext, InboxMessage>(db => db.Set<InboxMessage>().AsNoTracking().SingleAsync(r => r.MessageId == messageId));
        row.ProcessedAt.Should().NotBeNull();
        row.LastError.Should().BeNull();
    }

    [Fact]
    public async Task A_first_delivery_takes_the_inbox_key_before_the_handler_runs()
    {
        var statements = new ConcurrentQueue<string>();
        using var factory = new NoDispatcher();
        factory.WithServices(services => services.AddSingleton<IModuleDbContextConfigurator>(new CommandRecorder(statements)));
        var envelope = new MessageEnvelope(Guid.NewGuid(), "probe.pinged", DateTimeOffset.UtcNow, "Probe",
            $$"""{"pingId":"{{Guid.NewGuid()}}","behaviour":"normal"}""", null, null);

        (await factory.Services.GetRequiredService<InboxProcessor>().DeliverAsync("Probe", envelope, default)).Outcome.Should().Be(DeliveryOutcome.Handled);

        var order = statements.Select(s => s.Contains("INSERT INTO \"InboxMessages\"", StringComparison.Ordinal) ? "inbox"
            : s.Contains("INSERT INTO \"Effects\"", StringComparison.Ordinal) ? "effect" : null).OfType<string>().ToList();
        order.Should().Equal(["inbox", "effect"], "a concurrent second delivery must meet the key before anything runs");
    }

    private static Task<List<OutboxMessage>> Claim(ProbeDbContext db, long now, Guid token) =>
        MessageStore.ClaimOutboxAsync(db, "Probe", ["probe.pinged"], now, now + 500, token, 10, 50, default);

    /// <summary>A host whose own workers stay out of the way, so each step is the test's.</summary>
    public sealed class NoDispatcher : PlatformFactory
    {
        public NoDispatcher() => With("Messaging:DispatcherEnabled", "false");
    }
}

/// <summary>Records every SQL statement a module's DbContext runs.</summary>
internal sealed class CommandRecorder(ConcurrentQueue<string> statements) : DbCommandInterceptor, IModuleDbContextConfigurator
{
    public void Configure(string moduleName, DatabaseProvider provider, DbContextOptionsBuilder options) => options.AddInterceptors(this);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }
}
