using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

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
            loops.Add(RunAsync<OutboxMessage>(module, signals.Outbox(module.Name), ct => outbox.DispatchBatchAsync(module.Name, ct), stoppingToken));
            if (catalog.SubscriptionsOf(module.Name).Any())
            {
                loops.Add(RunAsync<InboxMessage>(module, signals.Inbox(module.Name), ct => RetryInboxAsync(module.Name, ct), stoppingToken));
            }
        }

        return Task.WhenAll(loops);
    }

    private async Task RunAsync<TRow>(IModule module, ModuleSignals.Signal signal, Func<CancellationToken, Task<BatchResult>> pass, CancellationToken stoppingToken)
        where TRow : StoredMessage
    {
        await Task.Yield();
        var store = MessageStore.NameOf<TRow>();
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
                    telemetry.Backlog(module.Name, store, await WithStoreAsync<TRow, long>(module, rows => MessageStore.CountBacklogAsync(rows, stoppingToken)));
                    lastBacklog = now;
                }

                if (now - lastCleanup >= TimeSpan.FromMinutes(10))
                {
                    var cutoff = now - options.RetainProcessedFor;
                    await WithStoreAsync<TRow, int>(module, rows => MessageStore.DeleteProcessedAsync(rows, cutoff, stoppingToken));
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

    private async Task<TResult> WithStoreAsync<TRow, TResult>(IModule module, Func<DbSet<TRow>, Task<TResult>> work)
        where TRow : StoredMessage
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetDbContext(module.Database!.ContextType).Set<TRow>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging:DispatcherEnabled is false: this instance does not dispatch or handle messages.")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} {Store} loop failed; retrying in {Seconds:0.0} s")]
    private partial void LogLoopFailed(Exception exception, string module, string store, double seconds);
}
