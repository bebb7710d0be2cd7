namespace Platform.Shared.Messaging;

/// <summary>Exponential backoff with ±20% jitter, so failing messages do not retry in lock-step.</summary>
internal static class RetryPolicy
{
    public static TimeSpan Delay(int attempt, MessagingOptions options)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    public static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= 4000 ? text : text[..4000];
    }
}
