namespace Platform.Shared.Messaging;

/// <summary>What a failed attempt leads to: another try at <see cref="RetryAt"/>, or a dead letter.</summary>
internal sealed record FailureOutcome(int Attempts, bool DeadLettered, DateTimeOffset RetryAt, string Error, DateTimeOffset Now)
{
    public long DueAt => (DeadLettered ? Now : RetryAt).ToUnixTimeMilliseconds();

    public DateTimeOffset? DeadLetteredAt => DeadLettered ? Now : null;

    /// <summary>When the row should be looked at again; null once it is parked.</summary>
    public DateTimeOffset? NextRetryAt => DeadLettered ? null : RetryAt;
}

/// <summary>Exponential backoff with ±20% jitter, so failing messages do not retry in lock-step.</summary>
internal static class RetryPolicy
{
    /// <summary>
    /// The outcome of failed attempt number <paramref name="attempt"/> (attempts are counted when they
    /// start). <paramref name="final"/> failures (unreadable payload, no such handler) are parked at once.
    /// </summary>
    public static FailureOutcome Decide(int attempt, Exception exception, bool final, DateTimeOffset now, MessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new FailureOutcome(attempt, final || attempt >= options.MaxAttempts, now + Delay(attempt, options), Describe(exception), now);
    }

    public static TimeSpan Delay(int attempt, MessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= 4000 ? text : text[..4000];
    }
}
