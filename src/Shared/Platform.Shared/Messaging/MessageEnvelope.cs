namespace Platform.Shared.Messaging;

/// <summary>
/// What travels between modules, the same for every transport: identity, wire type, origin, payload
/// and the W3C trace context of the request that published it.
/// </summary>
public sealed record MessageEnvelope(
    Guid MessageId,
    string Type,
    DateTimeOffset OccurredAt,
    string SourceModule,
    string Payload,
    string? TraceParent,
    string? TraceState);
