using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Delivers one module's outbox to the subscribing modules hosted here.
/// <list type="bullet">
/// <item>Hot path: rows are claimed as they are written, in the publisher's own transaction, and
/// handed to the subscriber's queue in memory right after the commit, together with the (shared) sync
/// that makes the commit durable; the subscriber commits its effects only after that sync.</item>
/// <item>Fallback: rows nobody holds (written while a queue was full, left by a stopped or crashed
/// instance, due for a retry, replayed) are claimed from the database, per destination and of the
/// types it handles, only while that destination's queue has room, so a slow subscriber's backlog
/// waits unclaimed in the outbox.</item>
/// <item>Claims still queued or being handled here have their leases renewed, so a long queue never
/// lets another instance (or this one) take them over.</item>
/// <item>Outcomes come back from the consumers and are written in batches, each fenced by its claim
/// token, after the subscribers' commits were made durable.</item>
/// </list>
/// Rows for subscribing modules this process does not host are left alone and stay visible as backlog.
/// </summary>
internal sealed partial class OutboxRelay(
    string module,
    Type contextType,
    IReadOnlyList<string> destinations,
    IntegrationEventCatalog catalog,
    OutboxRuntime runtime,
    IModuleDurability durability,
    IServiceScopeFactory scopes,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    SqliteWriteGate writers,
    ILogger<OutboxRelay> logger)
{
    private const int MaxAcksPerBatch = 512;

    private readonly Channel<Ack> _acks = Channel.CreateUnbounded<Ack>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<FromOutbox, byte> _held = new();
    private readonly WakeSignal _wake = new();
    private readonly string[] _local = destinations.Where(d => runtime.TargetOf(d) is not null).ToArray();
    private readonly UpkeepSchedule _upkeep = new(options, clock);
    private volatile bool _completing;

    public string Module => module;

    /// <summary>The claim token of rows this instance claimed as it wrote them. A later claim of such a row replaces it.</summary>
    public Guid HandoverToken { get; } = Guid.NewGuid();

    /// <summary>Subscribing modules that are not hosted here: their deliveries wait until a process that hosts them runs.</summary>
    public IReadOnlyList<string> RemoteDestinations { get; } = destinations.Where(d => runtime.TargetOf(d) is null).ToList();

    public void Wake() => _wake.Set();

    /// <summary>Called as a new row is saved: claims it for in-memory hand-over when its subscriber is here and has room.</summary>
    public void PrepareHandover(OutboxMessage row)
    {
        if (row.ClaimToken is null && runtime.TargetOf(row.Destination) is { HasRoom: true } target && target.Handles(row.Type))
        {
            row.ClaimToken = HandoverToken;
            row.LockedUntil = (clock.GetUtcNow() + options.LeaseDuration).ToUnixTimeMilliseconds();
            row.Attempts = 1;
        }
    }

    /// <summary>Starts (or joins) a sync of this module's file: every commit made so far is on disk when it completes.</summary>
    public Task MakeDurableAsync() => durability.MakeDurableAsync(module, CancellationToken.None);

    /// <summary>Called right after the publisher's commit with the rows it wrote, and the sync that makes that commit durable.</summary>
    public void HandOver(IReadOnlyList<OutboxMessage> rows, Task causeDurable)
    {
        var current = Activity.Current;
        var wake = false;
        foreach (var row in rows)
        {
            if (row.ClaimToken != HandoverToken)
            {
                wake = true;
                continue;
            }

            if (!Enqueue(row, HandoverToken, causeDurable))
            {
                Release(new FromOutbox(module, row.Sequence, HandoverToken));
                wake = true;
            }
        }

        Activity.Current = current;
        if (wake)
        {
            _wake.Set();
        }
    }

    /// <summary>The subscriber has the message durably.</summary>
    public void Delivered(FromOutbox origin, string destination, MessageEnvelope envelope) =>
        Acknowledge(new Ack(AckKind.Delivered, origin, destination, envelope, null));

    /// <summary>The subscriber could not take the message: try again later.</summary>
    public void Failed(FromOutbox origin, string destination, MessageEnvelope envelope, Exception error) =>
        Acknowledge(new Ack(AckKind.Failed, origin, destination, envelope, error));

    /// <summary>Gives a claimed row back unattempted (shutdown, or no room after all).</summary>
    public void Release(FromOutbox origin) =>
        Acknowledge(new Ack(AckKind.Released, origin, string.Empty, null, null));

    /// <summary>No more outcomes will come: the outcome loop writes what it has, within a few tries, and ends.</summary>
    public void CompleteOutcomes()
    {
        _completing = true;
        _acks.Writer.TryComplete();
    }

    public async Task RunClaimsAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.PollInterval;
            try
            {
                await HousekeepingAsync(stoppingToken);
                var next = await PassAsync(stoppingToken);
                failures = 0;
                if (next is { } due)
                {
                    var untilDue = DateTimeOffset.FromUnixTimeMilliseconds(due) - clock.GetUtcNow();
                    wait = untilDue < wait ? untilDue : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a database outage and try again later.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures++;
                wait = MessagingBackoff.AfterLoopFailure(failures, options);
                LogLoopFailed(exception, module, wait.TotalSeconds);
            }

            wait = _upkeep.Bound(wait);
            try
            {
                await _wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes delivery outcomes in batches until <see cref="CompleteOutcomes"/>; runs past shutdown to flush.</summary>
    public async Task RunOutcomesAsync()
    {
        var batch = new List<Ack>(MaxAcksPerBatch);
        var failures = 0;
        while (await _acks.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxAcksPerBatch && _acks.Reader.TryRead(out var ack))
            {
                batch.Add(ack);
            }

            try
            {
                await WriteOutcomesAsync(batch);
                batch.Clear();
                failures = 0;
            }
#pragma warning disable CA1031 // Outcomes are kept and written again once the database answers.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures++;
                var wait = MessagingBackoff.AfterLoopFailure(failures, options);
                LogOutcomesFailed(exception, module, batch.Count, wait.TotalSeconds);
                if (_completing && failures >= 3)
                {
                    // Shutting down with the database gone: the leases run out and the rows are delivered again (no second effect).
                    LogOutcomesDropped(module, batch.Count + _acks.Reader.Count);
                    return;
                }

                await Task.Delay(_completing ? TimeSpan.FromMilliseconds(200) : wait);
            }
        }
    }

    private void Acknowledge(Ack ack)
    {
        _held.TryRemove(ack.Origin, out _);
        if (!_acks.Writer.TryWrite(ack))
        {
            LogOutcomeDropped(module, ack.Origin.Sequence);
        }
    }

    private async Task<long?> PassAsync(CancellationToken cancellationToken)
    {
        var open = _local.Where(d => runtime.TargetOf(d)!.HasRoom).ToArray();
        if (open.Length == 0)
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = await db.Set<OutboxMessage>()
            .Where(m => open.Contains(m.Destination) && m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts < options.MaxAttempts)
            .GroupBy(m => m.Destination)
            .Select(g => new { Destination = g.Key, Due = g.Min(m => m.LockedUntil != null && m.LockedUntil > m.DueAt ? m.LockedUntil : (long?)m.DueAt) })
            .ToListAsync(cancellationToken);

        long? next = null;
        foreach (var destination in due)
        {
            if (destination.Due > nowMs)
            {
                next = next is null || destination.Due < next ? destination.Due : next;
                continue;
            }

            var target = runtime.TargetOf(destination.Destination)!;
            var room = Math.Min(options.BatchSize, target.Room);
            if (room <= 0)
            {
                continue;
            }

            var token = Guid.NewGuid();
            // A claim is one short statement that may wait its turn at SQLite; acknowledgements and lease
            // renewals queue at the write gate, because a lease that lapses while they wait means redelivery.
            var rows = await MessageStore.ClaimOutboxAsync(
                db, destination.Destination, target.Types, nowMs, (now + options.LeaseDuration).ToUnixTimeMilliseconds(), token, options.MaxAttempts, room, cancellationToken);
            telemetry.Claimed(module, "outbox");
            if (rows.Count == 0)
            {
                continue;
            }

            // Whoever wrote these may have deferred their sync: the subscriber commits only after this one.
            var causeDurable = MakeDurableAsync();
            var current = Activity.Current;
            foreach (var row in rows)
            {
                if (!Enqueue(row, token, causeDurable))
                {
                    Release(new FromOutbox(module, row.Sequence, token));
                }
            }

            Activity.Current = current;
            if (rows.Count == room)
            {
                next = nowMs;
            }
        }

        return next;
    }

    /// <summary>Renewing leases, parking exhausted rows, splitting legacy rows, the backlog gauge and cleanup; a failure here never stops claiming.</summary>
    private Task HousekeepingAsync(CancellationToken cancellationToken) =>
        _upkeep.RunAsync(scopes, contextType, RenewLeasesAsync, ParkAndMeasureAsync, CleanupAsync, exception => LogHousekeepingFailed(exception, module), cancellationToken);

    private Task CleanupAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        MessageStore.DeleteProcessedAsync(db.Set<OutboxMessage>(), now - options.RetainProcessedFor, cancellationToken);

    private async Task RenewLeasesAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!_held.IsEmpty)
        {
            using var turn = await writers.EnterAsync(db, cancellationToken);
            // From when the turn is held: the wait for it may have been long.
            var leaseUntil = (clock.GetUtcNow() + options.LeaseDuration).ToUnixTimeMilliseconds();
            foreach (var group in _held.Keys.GroupBy(h => h.Token))
            {
                await MessageStore.RenewOutboxAsync(db, group.Key, group.Select(h => h.Sequence).ToList(), leaseUntil, cancellationToken);
            }
        }
    }

    private async Task ParkAndMeasureAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = db.Set<OutboxMessage>();
        var nowMs = now.ToUnixTimeMilliseconds();
        if (await outbox.AnyAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts >= options.MaxAttempts && (m.LockedUntil == null || m.LockedUntil <= nowMs), cancellationToken))
        {
            var parked = await MessageStore.ParkExhaustedAsync<OutboxMessage>(db, nowMs, options.MaxAttempts, now, cancellationToken);
            for (var i = 0; i < parked; i++)
            {
                telemetry.Failed(module, "dispatch", deadLettered: true);
            }

            LogParked(module, parked);
        }

        // With a broker, rows for every subscriber are what the broker takes; without one they become a row per subscriber.
        if (runtime.Outlet is null && await outbox.AnyAsync(m => m.Destination == OutboxMessage.AllSubscribers && m.ProcessedAt == null && m.DeadLetteredAt == null, cancellationToken))
        {
            await SplitLegacyRowsAsync(db, now, cancellationToken);
        }

        var backlog = await outbox
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
            .GroupBy(m => m.Destination)
            .Select(g => new { Destination = g.Key, Count = g.LongCount(), Oldest = g.Min(m => m.Sequence) })
            .ToListAsync(cancellationToken);
        var oldest = backlog.Select(b => b.Oldest).ToList();
        var occurred = await outbox.Where(m => oldest.Contains(m.Sequence)).Select(m => new { m.Sequence, m.OccurredAt }).ToDictionaryAsync(m => m.Sequence, m => m.OccurredAt, cancellationToken);
        foreach (var destination in destinations)
        {
            var waiting = backlog.FirstOrDefault(b => b.Destination == destination);
            var age = waiting is not null && occurred.TryGetValue(waiting.Oldest, out var at) ? now - at : TimeSpan.Zero;
            telemetry.Backlog(module, "outbox", destination, waiting?.Count ?? 0, age);
        }
    }

    /// <summary>Rows written before deliveries were per destination become one row per module subscribing to their type.</summary>
    private async Task SplitLegacyRowsAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var turn = await writers.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outbox = db.Set<OutboxMessage>();
        var legacy = await outbox.Where(m => m.Destination == OutboxMessage.AllSubscribers && m.ProcessedAt == null && m.DeadLetteredAt == null).ToListAsync(cancellationToken);
        foreach (var row in legacy)
        {
            foreach (var destination in catalog.DestinationsOf(row.Type))
            {
                outbox.Add(new OutboxMessage
                {
                    MessageId = row.MessageId,
                    Destination = destination,
                    Type = row.Type,
                    Payload = row.Payload,
                    SourceModule = row.SourceModule,
                    OccurredAt = row.OccurredAt,
                    TraceParent = row.TraceParent,
                    TraceState = row.TraceState,
                    DueAt = now.ToUnixTimeMilliseconds(),
                });
            }

            row.ProcessedAt = now;
            row.LockedUntil = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private bool Enqueue(OutboxMessage row, Guid token, Task causeDurable)
    {
        if (runtime.TargetOf(row.Destination) is not { } target)
        {
            return false;
        }

        var envelope = row.ToEnvelope();
        var origin = new FromOutbox(module, row.Sequence, token);
        using var dispatch = telemetry.Start("dispatch", module, envelope, ActivityKind.Producer, row.TraceParent);
        dispatch?.SetTag("platform.destination", row.Destination);
        _held[origin] = 0;
        if (target.TryEnqueue(new Delivery(envelope, origin, dispatch?.Id ?? row.TraceParent, causeDurable), row.Destination))
        {
            return true;
        }

        _held.TryRemove(origin, out _);
        return false;
    }

    private async Task WriteOutcomesAsync(List<Ack> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        var delivered = batch.Where(a => a.Kind == AckKind.Delivered).ToList();
        // A module hosted here has handled it: its commit is made durable first. A broker's confirm is durable already.
        foreach (var destination in delivered.Select(a => a.Destination).Distinct(StringComparer.Ordinal).Where(d => runtime.ConsumerOf(d) is not null))
        {
            await durability.MakeDurableAsync(destination, CancellationToken.None);
        }

        var now = clock.GetUtcNow();
        using var turn = await writers.EnterAsync(db, CancellationToken.None);
        foreach (var group in delivered.GroupBy(a => a.Origin.Token))
        {
            await MessageStore.CompleteOutboxAsync(db, group.Key, group.Select(a => a.Origin.Sequence).ToList(), now, CancellationToken.None);
            foreach (var ack in group)
            {
                telemetry.Dispatched(module, ack.Destination, ack.Envelope!.Type, now - ack.Envelope.OccurredAt);
            }
        }

        foreach (var group in batch.Where(a => a.Kind == AckKind.Released).GroupBy(a => a.Origin.Token))
        {
            await MessageStore.ReleaseOutboxAsync(db, group.Key, group.Select(a => a.Origin.Sequence).ToList(), CancellationToken.None);
        }

        var failed = batch.Where(a => a.Kind == AckKind.Failed).ToList();
        foreach (var ack in failed)
        {
            var attempts = await db.Set<OutboxMessage>().Where(m => m.Sequence == ack.Origin.Sequence).Select(m => m.Attempts).FirstOrDefaultAsync();
            var outcome = RetryPolicy.Decide(Math.Max(1, attempts), ack.Error!, final: false, now, options);
            if (await MessageStore.FailOutboxAsync(db, ack.Origin.Sequence, ack.Origin.Token, outcome, CancellationToken.None) > 0)
            {
                telemetry.Failed(module, "dispatch", outcome.DeadLettered);
                LogDeliveryFailed(ack.Error!, module, ack.Envelope!.Type, ack.Destination, ack.Envelope.MessageId, outcome.Attempts, outcome.DeadLettered);
            }
        }

        if (failed.Count > 0 || batch.Any(a => a.Kind == AckKind.Released))
        {
            _wake.Set();
        }
    }

    private enum AckKind
    {
        Delivered,
        Failed,
        Released,
    }

    private sealed record Ack(AckKind Kind, FromOutbox Origin, string Destination, MessageEnvelope? Envelope, Exception? Error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} outbox loop failed; retrying in {Seconds:0.0} s")]
    private partial void LogLoopFailed(Exception exception, string module, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} outbox housekeeping failed; claiming goes on")]
    private partial void LogHousekeepingFailed(Exception exception, string module);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} could not record {Count} delivery outcomes; retrying in {Seconds:0.0} s")]
    private partial void LogOutcomesFailed(Exception exception, string module, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} stopped with {Count} delivery outcomes unwritten: their rows are delivered again when their leases end, and skipped by the inbox")]
    private partial void LogOutcomesDropped(string module, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} got the outcome of row {Sequence} after it stopped recording outcomes; the row is delivered again when its lease ends")]
    private partial void LogOutcomeDropped(string module, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} could not deliver {Type} {MessageId} to {Destination} (attempt {Attempt}, dead-lettered: {DeadLettered})")]
    private partial void LogDeliveryFailed(Exception exception, string module, string type, string destination, Guid messageId, int attempt, bool deadLettered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} parked {Count} outbox rows as dead letters: every attempt was started, none finished")]
    private partial void LogParked(string module, int count);
}

internal static class MessagingBackoff
{
    /// <summary>How long a worker loop waits after it failed <paramref name="failures"/> times in a row (database down).</summary>
    public static TimeSpan AfterLoopFailure(int failures, MessagingOptions options) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, options.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 5))));
}
