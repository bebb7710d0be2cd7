namespace Platform.Shared.RabbitMQ;

/// <summary>The <c>Messaging:RabbitMQ</c> section. Every process of one deployment must be given the same values.</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "Messaging:RabbitMQ";

    /// <summary>The broker, with credentials and virtual host (<c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://</c>).</summary>
    public Uri Uri { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>The durable topic exchange events are published to, with their wire name as routing key.</summary>
    public string Exchange { get; set; } = "platform.events";

    /// <summary>Where the exchange sends what no queue is bound for; it keeps them in a queue of the same name.</summary>
    public string AlternateExchange { get; set; } = "platform.unroutable";

    /// <summary>Where a module's queue sends what it gave up on; each module has its own dead-letter queue behind it.</summary>
    public string DeadLetterExchange { get; set; } = "platform.dead-letters";

    /// <summary>Queue names are <c>{prefix}.{module}</c> and <c>{prefix}.{module}.dead-letters</c>.</summary>
    public string QueuePrefix { get; set; } = "platform";

    /// <summary>Unacknowledged deliveries a module's consumer holds at most.</summary>
    public ushort Prefetch { get; set; } = 64;

    /// <summary>Deliveries of one message (quorum queue <c>x-delivery-limit</c>) before it is dead-lettered.</summary>
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>How long to wait between attempts to (re)connect.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch waits for the broker's confirms before it counts as not published (it is published again).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
