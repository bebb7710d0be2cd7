using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Messaging;

/// <summary>
/// The relays' target when a broker carries the events: claimed outbox rows queue here and are published
/// in batches, each waiting for its publisher's commit to be on disk first. A row is reported delivered
/// only when the broker confirmed it. Rows that could not be sent (no connection) are given back
/// unattempted, and the outlet takes no more (no room) until it reconnects, so events wait in the outbox,
/// not in memory; a row sent but not confirmed counts as a failed attempt (retried with backoff).
/// </summary>
internal sealed partial class BrokerOutlet(
    IMessageBroker broker,
    IntegrationEventCatalog catalog,
    MessagingOptions options,
    ILogger<BrokerOutlet> logger) : IDeliveryTarget
{
    private readonly Channel<(Delivery Delivery, string Destination)> _queue = Channel.CreateBounded<(Delivery, string)>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private volatile bool _closed;

    /// <summary>Set by the runtime: where a row's outcome is reported.</summary>
    public Func<string, OutboxRelay?> RelayOf { get; set; } = _ => null;

    public int Room => _closed || !broker.IsConnected ? 0 : options.QueueCapacity - _queue.Reader.Count;

    public IReadOnlyCollection<string> Types => catalog.EventNames;

    public bool Handles(string type) => true;

    public bool TryEnqueue(Delivery delivery, string destination) => _queue.Writer.TryWrite((delivery, destination));

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(Delivery Delivery, string Destination)>(options.BatchSize);
        _closed = false; // started again after a failure: it takes rows again
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await PublishAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        finally
        {
            // Only shutdown closes it for good; after a failure the supervisor starts it again. Either way
            // what it held goes back to the outbox.
            _closed = stoppingToken.IsCancellationRequested;
            foreach (var (delivery, _) in batch)
            {
                Release(delivery);
            }

            while (_queue.Reader.TryRead(out var item))
            {
                Release(item.Delivery);
            }
        }
    }

    private async Task PublishAsync(List<(Delivery Delivery, string Destination)> batch, CancellationToken stoppingToken)
    {
        // An event leaves the process only once the commit that wrote it is on disk, so no subscriber acts on a cause a power loss could take back.
        try
        {
            foreach (var cause in batch.Select(b => b.Delivery.CauseDurable).Distinct())
            {
                await cause.WaitAsync(stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The sync failed: nothing is sent, the rows go back and are published once a sync succeeds.
            LogPublishFailed(exception, batch.Count);
            batch.ForEach(b => Release(b.Delivery));
            return;
        }

        var messages = batch.Select(b => new BrokerMessage(
            // The consumer's span is a child of the relay's dispatch span, which is a child of the publisher's.
            b.Delivery.Envelope with { TraceParent = b.Delivery.ParentId ?? b.Delivery.Envelope.TraceParent },
            b.Destination == OutboxMessage.AllSubscribers ? null : b.Destination)).ToList();
        IReadOnlyList<PublishOutcome> outcomes;
        try
        {
            outcomes = await broker.PublishAsync(messages, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the client threw, the rows go back to the outbox and are published again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogPublishFailed(exception, batch.Count);
            outcomes = batch.Select(_ => new PublishOutcome(PublishStatus.Failed, exception)).ToList();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var (delivery, destination) = batch[i];
            var origin = (FromOutbox)delivery.Origin;
            var relay = RelayOf(origin.Publisher);
            switch (outcomes[i].Status)
            {
                case PublishStatus.Confirmed:
                    relay?.Delivered(origin, destination, delivery.Envelope);
                    break;
                case PublishStatus.Failed:
                    relay?.Failed(origin, destination, delivery.Envelope, outcomes[i].Error ?? new InvalidOperationException("The broker did not confirm the message."));
                    break;
                default:
                    relay?.Release(origin);
                    break;
            }
        }
    }

    private void Release(Delivery delivery)
    {
        var origin = (FromOutbox)delivery.Origin;
        RelayOf(origin.Publisher)?.Release(origin);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} events to the broker failed; they wait in the outbox and are published again")]
    private partial void LogPublishFailed(Exception exception, int count);
}
