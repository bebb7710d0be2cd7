namespace Platform.Shared.RabbitMQ;

/// <summary>The queue names of the topology, from the configured prefix.</summary>
internal sealed class RabbitMqNames(RabbitMqOptions options)
{
    public string Queue(string module) => $"{options.QueuePrefix}.{module.ToLowerInvariant()}";

    public string DeadLetterQueue(string module) => $"{Queue(module)}.dead-letters";

    /// <summary>The queue behind the alternate exchange has the exchange's name.</summary>
    public string Unroutable => options.AlternateExchange;
}
