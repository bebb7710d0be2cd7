using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Messaging;

/// <summary>
/// Runs every relay and consumer of <see cref="OutboxRuntime"/>. On shutdown the consumers finish
/// the delivery in hand and give back what is still queued, then the relays write every outcome
/// they hold, so the next instance does not wait for leases to run out.
/// </summary>
internal sealed partial class MessagingHost(
    OutboxRuntime runtime,
    IntegrationEventCatalog catalog,
    IBrokerInbound inbound,
    MessagingOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<MessagingHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled)
        {
            LogDisabled();
            return;
        }

        // What the previous run left behind waits until the host has started: catching up competes with
        // start-up for the same cores, and answering first matters more. Events committed meanwhile wait
        // in the consumers' queues and the outbox, as they would for a busy consumer.
        await WhenStartedAsync(stoppingToken);
        try
        {
            // Real time on purpose: this spaces out CPU work, whatever clock the business logic runs on.
            await Task.Delay(options.StartDelay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the loops ran: what commits handed over meanwhile is given back below.
        }

        if (stoppingToken.IsCancellationRequested)
        {
            await GiveBackHandedOverAsync(stoppingToken);
            return;
        }

        foreach (var relay in runtime.Relays.Where(r => r.RemoteDestinations.Count > 0))
        {
            LogWaitingForRemote(relay.Module, string.Join(", ", relay.RemoteDestinations));
        }

        var outcomes = runtime.Relays.Select(r => r.RunOutcomesAsync()).ToList();
        var loops = runtime.Consumers.Select(c => SuperviseAsync($"{c.Module} consumer", c.RunAsync, stoppingToken))
            .Concat(runtime.Relays.Select(r => SuperviseAsync($"{r.Module} outbox", r.RunClaimsAsync, stoppingToken)))
            .Concat(BrokerLoops(stoppingToken))
            .ToList();
        try
        {
            await Task.WhenAll(loops);
        }
        finally
        {
            foreach (var relay in runtime.Relays)
            {
                relay.CompleteOutcomes();
            }

            await Task.WhenAll(outcomes);
        }
    }

    /// <summary>
    /// Commits during start-up hand their deliveries to the consumers' queues (claimed, with a lease). A host
    /// that stops before its loops run gives them back at once, as a running one does at shutdown, so
    /// neither a lease nor an attempt is spent on them.
    /// </summary>
    private async Task GiveBackHandedOverAsync(CancellationToken stoppingToken)
    {
        var outcomes = runtime.Relays.Select(r => r.RunOutcomesAsync()).ToList();
        try
        {
            // With the token already cancelled, a consumer's run only releases what it holds.
            await Task.WhenAll(runtime.Consumers.Select(c => c.RunAsync(stoppingToken)));
            if (runtime.Outlet is { } outlet)
            {
                await outlet.RunAsync(stoppingToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            foreach (var relay in runtime.Relays)
            {
                relay.CompleteOutcomes();
            }

            await Task.WhenAll(outcomes);
        }
    }

    /// <summary>With a broker: publishing what the relays hand over, and the connection with the hosted modules' consumers.</summary>
    private IEnumerable<Task> BrokerLoops(CancellationToken stoppingToken)
    {
        if (runtime.Broker is not { } broker || runtime.Outlet is not { } outlet)
        {
            return [];
        }

        var topology = new BrokerTopology(catalog.AllSubscriptions
            .GroupBy(s => s.Module, StringComparer.OrdinalIgnoreCase)
            .Select(g => new BrokerSubscriber(g.Key, g.Select(s => s.EventName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), runtime.ConsumerOf(g.Key) is not null))
            .OrderBy(s => s.Module, StringComparer.Ordinal)
            .ToList());
        return
        [
            SuperviseAsync("broker outlet", outlet.RunAsync, stoppingToken),
            SuperviseAsync("broker connection", token => broker.RunAsync(topology, inbound, runtime.RoomAvailable, token), stoppingToken),
        ];
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetResult());
        await started.Task;
    }

    /// <summary>Each loop handles its own failures; one that escapes anyway is logged and the loop started again.</summary>
    private async Task SuperviseAsync(string name, Func<CancellationToken, Task> loop, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A worker must not die silently: it is restarted.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogLoopCrashed(exception, name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Messaging worker {Name} failed unexpectedly; restarting it")]
    private partial void LogLoopCrashed(Exception exception, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging:DispatcherEnabled is false: this instance does not deliver or handle messages.")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} publishes to {Destinations}, not hosted here: those deliveries wait in {Module}'s outbox (platform.messaging.backlog) until a process that hosts them runs on the same data.")]
    private partial void LogWaitingForRemote(string module, string destinations);
}
