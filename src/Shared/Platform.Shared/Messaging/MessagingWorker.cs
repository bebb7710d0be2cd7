using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>
/// One outbox loop per hosted module with a database and one inbox loop per subscribing module.
/// Each loop drains its store, then sleeps until woken by a commit, a retry falling due, or the
/// fallback poll interval. Rows left by a crash are picked up at the next start.
/// </summary>
internal sealed partial class MessagingWorker(
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    ModuleSignals signals,
    OutboxDispatcher outbox,
    InboxProcessor inbox,
    IServiceScopeFactory scopes,
    MessagingOptions options,
    MessagingTelemetry telemetry,
    TimeProvider clock,
    ILogger<MessagingWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled)
        {
            LogDisabled();
            return Task.CompletedTask;
        }

        var loops = new List<Task>();
        foreach (var module in modules.Enabled.Where(m => m.Database is not null))
        {
            loops.Add(RunAsync(module, "outbox", signals.Outbox(module.Name), ct => outbox.DispatchBatchAsync(module.Name, ct), stoppingToken));
            if (catalog.SubscriptionsOf(module.Name).Any())
            {
                loops.Add(RunAsync(module, "inbox", signals.Inbox(module.Name), ct => RetryInboxAsync(module.Name, ct), stoppingToken));
            }
        }

        return Task.WhenAll(loops);
    }

    private async Task RunAsync(IModule module, string store, ModuleSignals.Signal signal, Func<CancellationToken, Task<BatchResult>> pass, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        var lastBacklog = DateTimeOffset.MinValue;
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.PollInterval;
            try
            {
                BatchResult result;
                DateTimeOffset? nextRetry = null;
                do
                {
                    result = await pass(stoppingToken);
                    nextRetry = OutboxDispatcher.Earliest(nextRetry, result.NextRetryAt);
                }
                while (result.Claimed == options.BatchSize && !stoppingToken.IsCancellationRequested);

                failures = 0;
                var now = clock.GetUtcNow();
                if (nextRetry is { } due && due - now < wait)
                {
                    wait = due > now ? due - now : TimeSpan.Zero;
                }

                if (now - lastBacklog >= TimeSpan.FromSeconds(1))
                {
                    telemetry.Backlog(module.Name, store, await CountBacklogAsync(module, store, stoppingToken));
                    lastBacklog = now;
                }

                if (now - lastCleanup >= TimeSpan.FromMinutes(10))
                {
                    await DeleteProcessedAsync(module, store, now - options.RetainProcessedFor, stoppingToken);
                    lastCleanup = now;
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
                wait = TimeSpan.FromMilliseconds(Math.Min(30_000, options.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 5))));
                LogLoopFailed(exception, module.Name, store, wait.TotalSeconds);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Failures are stored by whichever thread handled the message, so the inbox loop also asks when the next one is due.</summary>
    private async Task<BatchResult> RetryInboxAsync(string module, CancellationToken cancellationToken)
    {
        var result = await inbox.ProcessBatchAsync(module, cancellationToken);
        return result.Claimed == options.BatchSize
            ? result
            : result with { NextRetryAt = OutboxDispatcher.Earliest(result.NextRetryAt, await inbox.NextDueAsync(module, cancellationToken)) };
    }

    private async Task<long> CountBacklogAsync(IModule module, string store, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(module.Database!.ContextType);
        return store == "outbox"
            ? await db.Set<OutboxMessage>().LongCountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null, cancellationToken)
            : await db.Set<InboxMessage>().LongCountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null, cancellationToken);
    }

    /// <summary>Processed rows are kept for a while (inbox rows de-duplicate redeliveries), then deleted.</summary>
    private async Task DeleteProcessedAsync(IModule module, string store, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(module.Database!.ContextType);
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        _ = store == "outbox"
            ? await db.Set<OutboxMessage>().Where(m => m.ProcessedAt != null && m.DueAt < cutoffMs).ExecuteDeleteAsync(cancellationToken)
            : await db.Set<InboxMessage>().Where(m => m.ProcessedAt != null && m.DueAt < cutoffMs).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging:DispatcherEnabled is false: this instance does not dispatch or handle messages.")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} {Store} loop failed; retrying in {Seconds:0.0} s")]
    private partial void LogLoopFailed(Exception exception, string module, string store, double seconds);
}
