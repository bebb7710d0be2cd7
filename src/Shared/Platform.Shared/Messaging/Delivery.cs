namespace Platform.Shared.Messaging;

/// <summary>
/// A message on its way to one subscribing module, with where it came from so the outcome can be
/// reported there. <paramref name="CauseDurable"/> completes once the commit that published it is on
/// disk: the handler may run before, but commits its effects only after, so no effect ever outlives
/// its cause (a power loss can take back a commit made with synchronous=NORMAL).
/// </summary>
internal sealed record Delivery(MessageEnvelope Envelope, DeliveryOrigin Origin, string? ParentId, Task CauseDurable)
{
    public Delivery(MessageEnvelope envelope, DeliveryOrigin origin, string? parentId)
        : this(envelope, origin, parentId, Task.CompletedTask)
    {
    }
}

internal abstract record DeliveryOrigin;

/// <summary>A message that arrived from a broker: its outcome goes back to the broker's consumer, which acks or requeues.</summary>
internal sealed record FromBroker(TaskCompletionSource<DeliveryResult> Outcome) : DeliveryOrigin;

/// <summary>Where a relay hands a claimed row: a hosted module's consumer, or the broker's outlet.</summary>
internal interface IDeliveryTarget
{
    /// <summary>How many more deliveries it takes now; none while it cannot make progress.</summary>
    int Room { get; }

    bool HasRoom => Room > 0;

    /// <summary>The event types whose rows it takes.</summary>
    IReadOnlyCollection<string> Types { get; }

    bool Handles(string type);

    bool TryEnqueue(Delivery delivery, string destination);
}

/// <summary>A publisher's outbox row, claimed under <paramref name="Token"/>.</summary>
internal sealed record FromOutbox(string Publisher, long Sequence, Guid Token) : DeliveryOrigin;

/// <summary>A stored inbox row being retried: <paramref name="Attempt"/> was counted by the claim.</summary>
internal sealed record FromInbox(string Handler, Guid Token, int Attempt) : DeliveryOrigin;

internal enum DeliveryOutcome
{
    /// <summary>The handler's effects and inbox row committed.</summary>
    Handled,

    /// <summary>The inbox already had the message: delivered before, or held by a retry.</summary>
    Duplicate,

    /// <summary>The handler failed and the failure is stored for retry (or as a dead letter).</summary>
    FailureStored,

    /// <summary>Another claim took the row over; this one changed nothing.</summary>
    Fenced,

    /// <summary>Nothing could be written to the subscriber's database: the delivery must be tried again.</summary>
    NotDurable,

    /// <summary>Stopped by shutdown before it finished: given back, no attempt spent.</summary>
    Abandoned,

    /// <summary>This version of the module has no handler for the type: another instance may have one.</summary>
    NotHandledHere,
}

/// <summary>What handling one delivery came to.</summary>
internal readonly record struct DeliveryResult(DeliveryOutcome Outcome, DateTimeOffset? RetryAt = null, Exception? Error = null)
{
    /// <summary>The subscriber has the message for good: handled, known, or stored for retry.</summary>
    public bool IsDurable => Outcome is DeliveryOutcome.Handled or DeliveryOutcome.Duplicate or DeliveryOutcome.FailureStored or DeliveryOutcome.Fenced;

    /// <summary>The outcome of several handlers of one module: durable only if every one is.</summary>
    public static DeliveryResult Combine(DeliveryResult a, DeliveryResult b) =>
        !a.IsDurable && a.Outcome != DeliveryOutcome.Abandoned ? a
        : !b.IsDurable && b.Outcome != DeliveryOutcome.Abandoned ? b
        : a.Outcome == DeliveryOutcome.Abandoned ? a
        : b.Outcome == DeliveryOutcome.Abandoned ? b
        : new DeliveryResult(a.Outcome, Earliest(a.RetryAt, b.RetryAt));

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
