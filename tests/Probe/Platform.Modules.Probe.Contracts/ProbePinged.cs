using Platform.Shared.Abstractions;

namespace Platform.Modules.Probe.Contracts;

/// <summary>A test event. <paramref name="Behaviour"/> tells the probe's handler how to misbehave: <c>normal</c> or <c>crash</c>.</summary>
[IntegrationEvent("probe.pinged")]
public sealed record ProbePinged(Guid PingId, string Behaviour) : IIntegrationEvent;
