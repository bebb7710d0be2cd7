namespace Platform.Shared.ContractQueries;

/// <summary>
/// How contract queries to another process are sent (<c>ContractQueries:*</c>). They are idempotent reads, so
/// a failed or slow attempt is retried; an owner that keeps failing is left alone for a while (circuit breaker)
/// and its callers hear at once that it is unavailable instead of waiting.
/// </summary>
public sealed record RemoteQueryOptions
{
    public const string SectionName = "ContractQueries";

    /// <summary>One attempt's limit.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>All attempts together, pauses included: what a caller waits at most.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Attempts after the first, on a connection failure, a timeout, 408, 429 or 5xx.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>How long an owner that failed too often is not asked at all.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The share of failed attempts, over the last 30 s and at least <see cref="MinimumThroughput"/> of them, that opens the circuit.</summary>
    public double FailureRatio { get; init; } = 0.5;

    public int MinimumThroughput { get; init; } = 5;

    // The ranges the resilience library accepts, checked here so a bad value is named at start, not thrown later.
    public RemoteQueryOptions Validated() =>
        AttemptTimeout >= TimeSpan.FromMilliseconds(10) && AttemptTimeout <= TimeSpan.FromHours(1) && TotalTimeout >= AttemptTimeout && TotalTimeout <= TimeSpan.FromHours(1)
            && MaxRetries is >= 1 and <= 10
            && BreakDuration >= TimeSpan.FromMilliseconds(500) && BreakDuration <= TimeSpan.FromDays(1) && FailureRatio is > 0 and <= 1 && MinimumThroughput >= 2
            ? this
            : throw new InvalidOperationException(
                "ContractQueries: AttemptTimeout between 10 ms and 1 h and at most TotalTimeout (at most 1 h), MaxRetries 1–10, BreakDuration 0.5 s–1 day, FailureRatio in (0, 1], MinimumThroughput at least 2.");
}
