using Platform.Shared.Messaging;
using RabbitMQ.Client;

namespace Platform.Shared.RabbitMQ;

/// <summary>
/// Declares what every process of a deployment declares alike (so any may start first):
/// <list type="bullet">
/// <item>the events exchange (topic, durable), whose alternate exchange keeps what no queue is bound for;</item>
/// <item>a durable quorum queue per subscribing module in the application, hosted here or not, bound to
/// the wire names it subscribes to, so its events wait for it even before its process first starts;</item>
/// <item>behind each, through the dead-letter exchange, the module's dead-letter queue (classic, durable),
/// taking what it gave up on after the delivery limit (at-least-once dead-lettering: not lost on the way).</item>
/// </list>
/// Bindings are only added: a subscription a newer version dropped leaves a binding whose deliveries no
/// instance handles; they are requeued to the delivery limit and kept as dead letters until an operator
/// removes the binding.
/// </summary>
internal sealed class RabbitMqTopology(RabbitMqOptions options)
{
    public RabbitMqNames Names { get; } = new(options);

    public async Task DeclareAsync(IChannel channel, BrokerTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(topology);
        await channel.ExchangeDeclareAsync(options.AlternateExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(Names.Unroutable, durable: true, exclusive: false, autoDelete: false, Classic(), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(Names.Unroutable, options.AlternateExchange, string.Empty, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(
            options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false,
            new Dictionary<string, object?> { ["alternate-exchange"] = options.AlternateExchange }, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(options.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);

        foreach (var subscriber in topology.Subscribers)
        {
            var queue = Names.Queue(subscriber.Module);
            var deadLetters = Names.DeadLetterQueue(subscriber.Module);
            await channel.QueueDeclareAsync(deadLetters, durable: true, exclusive: false, autoDelete: false, Classic(), cancellationToken: cancellationToken);
            await channel.QueueBindAsync(deadLetters, options.DeadLetterExchange, queue, cancellationToken: cancellationToken);

            var arguments = Quorum();
            arguments["x-delivery-limit"] = options.DeliveryLimit;
            arguments["x-dead-letter-exchange"] = options.DeadLetterExchange;
            arguments["x-dead-letter-routing-key"] = queue;
            arguments["x-dead-letter-strategy"] = "at-least-once";
            arguments["x-overflow"] = "reject-publish"; // what at-least-once dead-lettering requires; no length limit is set
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
            foreach (var type in subscriber.EventTypes)
            {
                await channel.QueueBindAsync(queue, options.Exchange, type, cancellationToken: cancellationToken);
            }
        }
    }

    private static Dictionary<string, object?> Quorum() => new() { ["x-queue-type"] = "quorum" };

    /// <summary>
    /// Dead letters and unroutable events wait in classic durable queues: quorum queues have a delivery limit
    /// (20 by default on RabbitMQ 4) that would drop a dead letter whose storing keeps failing.
    /// </summary>
    private static Dictionary<string, object?> Classic() => new() { ["x-queue-type"] = "classic" };
}
