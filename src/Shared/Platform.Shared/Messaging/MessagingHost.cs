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
    MessagingOptions options,
    ILogger<MessagingHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled)
        {
            LogDisabled();
            return;
        }

        foreach (var relay in runtime.Relays.Where(r => r.RemoteDestinations.Count > 0))
        {
            LogWaitingForRemote(relay.Module, string.Join(", ", relay.RemoteDestinations));
        }

        var outcomes = runtime.Relays.Select(r => r.RunOutcomesAsync()).ToList();
        var loops = runtime.Consumers.Select(c => c.RunAsync(stoppingToken))
            .Concat(runtime.Relays.Select(r => r.RunClaimsAsync(stoppingToken)))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging:DispatcherEnabled is false: this instance does not deliver or handle messages.")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} publishes to {Destinations}, not hosted here: those deliveries wait in {Module}'s outbox (platform.messaging.backlog) until a process that hosts them runs on the same data.")]
    private partial void LogWaitingForRemote(string module, string destinations);
}
