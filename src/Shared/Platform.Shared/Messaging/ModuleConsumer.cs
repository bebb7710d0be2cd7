using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// One subscribing module's own queue and worker: deliveries from every publisher's relay, and the
/// module's stored failures when their retry falls due, handled one at a time in arrival order. Each
/// module has its own, so a slow or failing module only ever delays itself; its backlog beyond the
/// queue's capacity waits, unclaimed, in the publishers' outboxes.
/// </summary>
internal sealed partial class ModuleConsumer(
    string module,
    Type contextType,
    IReadOnlyCollection<string> types,
    OutboxRuntime runtime,
    InboxProcessor inbox,
    IServiceScopeFactory scopes,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    SqliteWriteGate writers,
    ILogger<ModuleConsumer> logger) : IDeliveryTarget
{
    private readonly Channel<Delivery> _queue = Channel.CreateBounded<Delivery>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly HashSet<string> _types = types.ToHashSet(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid MessageId, FromInbox Claim), byte> _heldRetries = new();
    private readonly WakeSignal _retryWake = new();
    private Task<bool>? _queuedWake;
    private Task? _retryWakeUp;
    private readonly RetryCheck _retryCheck = new();
    private volatile bool _wasFull;
    private volatile bool _closed;
    private readonly UpkeepSchedule _upkeep = new(options, clock);

    public string Module => module;

    /// <summary>The event types this module handles in this version.</summary>
    public IReadOnlyCollection<string> Types => _types;

    /// <summary>How many more deliveries the queue takes now; none once the worker has stopped.</summary>
    public int Room => _closed ? 0 : options.QueueCapacity - _queue.Reader.Count;

    public bool HasRoom => Room > 0;

    public bool Handles(string type) => _types.Contains(type);

    public bool TryEnqueue(Delivery delivery, string destination) => TryEnqueue(delivery);

    /// <summary>A broker delivery waits for room: the broker's prefetch, not this queue, bounds what is held.</summary>
    public async Task EnqueueAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(delivery, cancellationToken);
        }
        catch (ChannelClosedException closed)
        {
            throw new OperationCanceledException($"{module}'s consumer has stopped.", closed);
        }
    }

    public bool TryEnqueue(Delivery delivery)
    {
        if (_queue.Writer.TryWrite(delivery))
        {
            return true;
        }

        _wasFull = true;
        return false;
    }

    /// <summary>A failure was stored for retry at <paramref name="at"/>: look again then, not at the next poll.</summary>
    public void RetryAt(DateTimeOffset at)
    {
        if (_retryCheck.Advance(at.ToUnixTimeMilliseconds()))
        {
            _retryWake.Set();
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _retryCheck.Reset(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var handled = 0;
                while (handled < options.BatchSize && !stoppingToken.IsCancellationRequested && _queue.Reader.TryRead(out var delivery))
                {
                    await ProcessAsync(delivery, stoppingToken);
                    handled++;
                }

                if (_wasFull && Room >= options.QueueCapacity / 2)
                {
                    _wasFull = false;
                    runtime.RoomAvailable();
                }

                var wait = options.PollInterval;
                try
                {
                    await HousekeepingAsync(stoppingToken);
                    wait = await RetriesAsync(stoppingToken);
                    failures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The loop must survive a database outage and try again later.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failures++;
                    wait = MessagingBackoff.AfterLoopFailure(failures, options);
                    LogLoopFailed(exception, module, wait.TotalSeconds);
                }

                if (handled > 0 || _queue.Reader.Count > 0)
                {
                    continue;
                }

                await WaitAsync(_upkeep.Bound(wait), stoppingToken);
            }
        }
        finally
        {
            if (stoppingToken.IsCancellationRequested)
            {
                _closed = true;
                _queue.Writer.TryComplete();
                await ReleaseQueuedAsync();
            }
        }
    }

    private async Task ProcessAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        DeliveryResult result;
        try
        {
            result = await inbox.ProcessAsync(module, delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            result = new DeliveryResult(DeliveryOutcome.Abandoned);
        }
#pragma warning disable CA1031 // Whatever went wrong around the handler, the delivery is reported and the worker goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogDeliveryFailed(exception, module, delivery.Envelope.MessageId);
            result = new DeliveryResult(DeliveryOutcome.NotDurable, Error: exception);
        }

        if (result.RetryAt is { } retryAt)
        {
            RetryAt(retryAt);
        }

        switch (delivery.Origin)
        {
            case FromOutbox outbox when runtime.RelayOf(outbox.Publisher) is { } relay:
                if (result.IsDurable)
                {
                    relay.Delivered(outbox, module, delivery.Envelope);
                }
                else if (result.Outcome == DeliveryOutcome.Abandoned)
                {
                    relay.Release(outbox);
                }
                else
                {
                    relay.Failed(outbox, module, delivery.Envelope, result.Error ?? new InvalidOperationException("The delivery failed."));
                }

                break;
            case FromBroker broker:
                broker.Outcome.TrySetResult(result);
                break;
            case FromInbox retry:
                _heldRetries.TryRemove((delivery.Envelope.MessageId, retry), out _);
                if (result.Outcome is DeliveryOutcome.Abandoned or DeliveryOutcome.NotDurable)
                {
                    await ReleaseInboxAsync(delivery.Envelope.MessageId, retry);
                }

                break;
        }
    }

    /// <summary>Claims the module's stored failures that are due, while the queue has room; returns how long to sleep.</summary>
    private async Task<TimeSpan> RetriesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var requests = _retryCheck.Requests;
        var check = _retryCheck.At;
        if (check == 0 || check > nowMs)
        {
            return Until(check, now);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(contextType);
        var stored = db.Set<InboxMessage>();
        var next = await MessageStore.NextDueAsync(stored, options.MaxAttempts, cancellationToken);
        if (next is { } due && due <= nowMs && Room > 0)
        {
            var token = Guid.NewGuid();
            var rows = await MessageStore.ClaimInboxAsync(
                db, nowMs, (now + options.LeaseDuration).ToUnixTimeMilliseconds(), token, options.MaxAttempts, Math.Min(options.BatchSize, Room), cancellationToken);
            telemetry.Claimed(module, "inbox");
            foreach (var row in rows)
            {
                var claim = new FromInbox(row.Handler, token, row.Attempts);
                _heldRetries[(row.MessageId, claim)] = 0;
                if (!_queue.Writer.TryWrite(new Delivery(row.ToEnvelope(), claim, row.TraceParent)))
                {
                    _heldRetries.TryRemove((row.MessageId, claim), out _);
                    await MessageStore.ReleaseInboxAsync(db, row.MessageId, row.Handler, token, CancellationToken.None);
                }
            }

            next = await MessageStore.NextDueAsync(stored, options.MaxAttempts, cancellationToken);
        }

        // No known retry: look again at the next poll.
        var nextCheck = next ?? nowMs + (long)options.PollInterval.TotalMilliseconds;
        _retryCheck.Settle(check, requests, nextCheck, nowMs);
        return Until(_retryCheck.At, now);
    }

    /// <summary>Renewing held retries, parking exhausted rows, the backlog gauge and cleanup; a failure here never stops the worker.</summary>
    private Task HousekeepingAsync(CancellationToken cancellationToken) =>
        _upkeep.RunAsync(scopes, contextType, RenewHeldRetriesAsync, ParkAndMeasureAsync, CleanupAsync, exception => LogHousekeepingFailed(exception, module), cancellationToken);

    private Task CleanupAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        MessageStore.DeleteProcessedAsync(db.Set<InboxMessage>(), now - options.RetainProcessedFor, cancellationToken);

    private async Task RenewHeldRetriesAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!_heldRetries.IsEmpty)
        {
            using var turn = await writers.EnterAsync(db, cancellationToken);
            // From when the turn is held: the wait for it may have been long.
            var leaseUntil = (clock.GetUtcNow() + options.LeaseDuration).ToUnixTimeMilliseconds();
            foreach (var (messageId, claim) in _heldRetries.Keys)
            {
                await MessageStore.RenewInboxAsync(db, messageId, claim.Handler, claim.Token, leaseUntil, cancellationToken);
            }
        }
    }

    private async Task ParkAndMeasureAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = db.Set<InboxMessage>();
        var nowMs = now.ToUnixTimeMilliseconds();
        if (await stored.AnyAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts >= options.MaxAttempts && (m.LockedUntil == null || m.LockedUntil <= nowMs), cancellationToken))
        {
            var parked = await MessageStore.ParkExhaustedAsync<InboxMessage>(db, nowMs, options.MaxAttempts, now, cancellationToken);
            for (var i = 0; i < parked; i++)
            {
                telemetry.Failed(module, "handle", deadLettered: true);
            }
        }

        // Waiting inbox rows are failures awaiting retry: few, so their age is taken in memory.
        var waiting = await stored.Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null)
            .OrderBy(m => m.DueAt).Select(m => m.OccurredAt).Take(10_000).ToListAsync(cancellationToken);
        telemetry.Backlog(module, "inbox", module, waiting.Count, waiting.Count == 0 ? TimeSpan.Zero : now - waiting.Min());
    }

    private TimeSpan Until(long dueMs, DateTimeOffset now)
    {
        var untilDue = dueMs == 0 ? options.PollInterval : DateTimeOffset.FromUnixTimeMilliseconds(dueMs) - now;
        var untilHousekeeping = _upkeep.UntilHousekeeping(now);
        var wait = untilDue < options.PollInterval ? untilDue : options.PollInterval;
        return untilHousekeeping < wait ? untilHousekeeping : wait;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        // The two wake-ups outlive a wait that ended by its timeout, and are taken up again by the next one:
        // cancelling them at every timeout threw (and caught) an exception several times a second per module
        // on an idle host, and a cancelled semaphore wait could not have kept a wake-up that arrived meanwhile.
        _queuedWake ??= _queue.Reader.WaitToReadAsync(stoppingToken).AsTask();
        _retryWakeUp ??= _retryWake.WaitAsync(stoppingToken);
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            await Task.WhenAny(_queuedWake, _retryWakeUp, Task.Delay(wait, timer.Token));
            await timer.CancelAsync(); // woken early: the delay's timer goes now, not at the end of the wait
        }

        if (_queuedWake.IsCompleted)
        {
            _queuedWake = null;
        }

        if (_retryWakeUp.IsCompleted)
        {
            _retryWakeUp = null;
        }
    }

    /// <summary>On the way out: deliveries still queued are given back unattempted, so another process takes them at once.</summary>
    private async Task ReleaseQueuedAsync()
    {
        while (_queue.Reader.TryRead(out var delivery))
        {
            switch (delivery.Origin)
            {
                case FromOutbox outbox:
                    runtime.RelayOf(outbox.Publisher)?.Release(outbox);
                    break;
                case FromBroker broker:
                    broker.Outcome.TrySetResult(new DeliveryResult(DeliveryOutcome.Abandoned));
                    break;
                case FromInbox retry:
                    _heldRetries.TryRemove((delivery.Envelope.MessageId, retry), out _);
                    await ReleaseInboxAsync(delivery.Envelope.MessageId, retry);
                    break;
            }
        }
    }

    private async Task ReleaseInboxAsync(Guid messageId, FromInbox retry)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetDbContext(contextType);
            using var turn = await writers.EnterAsync(db, CancellationToken.None);
            await MessageStore.ReleaseInboxAsync(db, messageId, retry.Handler, retry.Token, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort: the lease runs out on its own.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReleaseFailed(exception, module, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} consumer loop failed; retrying in {Seconds:0.0} s")]
    private partial void LogLoopFailed(Exception exception, string module, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} inbox housekeeping failed; the worker goes on")]
    private partial void LogHousekeepingFailed(Exception exception, string module);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} failed around the handling of {MessageId}; the delivery is tried again later")]
    private partial void LogDeliveryFailed(Exception exception, string module, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} could not give back its claim on {MessageId}; it is taken again when the lease runs out")]
    private partial void LogReleaseFailed(Exception exception, string module, Guid messageId);
}
