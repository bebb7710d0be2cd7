using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Shared.RabbitMQ;

/// <summary>
/// Readiness of the broker: degraded, never unhealthy, while it is unreachable (the outboxes hold the
/// events, and requests are still served), and while events sit in the unroutable queue.
/// </summary>
internal sealed class RabbitMqHealthCheck(RabbitMqBroker broker, RabbitMqTopology topology) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    /// <summary>From what the connection loop already knows: a probe never waits on the broker.</summary>
    private HealthCheckResult Check()
    {
        if (!broker.IsConnected)
        {
            return HealthCheckResult.Degraded(
                $"RabbitMQ at {broker.Endpoint} is not connected" + (broker.Problem is { } problem ? $" ({problem})" : string.Empty) + ": events wait in the outboxes until it is.");
        }

        var unroutable = broker.Unroutable;
        var data = new Dictionary<string, object> { ["unroutable"] = unroutable ?? 0 };
        return unroutable > 0
            ? HealthCheckResult.Degraded($"{unroutable} events reached no queue and wait in {topology.Names.Unroutable}.", data: data)
            : HealthCheckResult.Healthy($"Connected to RabbitMQ at {broker.Endpoint}.", data);
    }
}
