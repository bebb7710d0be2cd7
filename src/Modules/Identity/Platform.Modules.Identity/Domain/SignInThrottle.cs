namespace Platform.Modules.Identity.Domain;

/// <summary>
/// Failed sign-ins per email address, whether or not an account has that address, so lockout
/// behaves the same for unknown emails and tells an attacker nothing about which accounts exist.
/// </summary>
internal sealed class SignInThrottle
{
    private SignInThrottle()
    {
    }

    public string NormalizedEmail { get; private set; } = string.Empty;

    public int FailedAttempts { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public static SignInThrottle For(string normalizedEmail) => new() { NormalizedEmail = normalizedEmail };

    public TimeSpan? RemainingLockout(DateTimeOffset now) =>
        LockedUntil is { } until && until > now ? until - now : null;

    /// <summary>Counts a failure; the one that reaches the limit starts a lockout and resets the count.</summary>
    public void RecordFailure(DateTimeOffset now, int maxAttempts, TimeSpan lockout)
    {
        if (LockedUntil is { } until && until <= now)
        {
            LockedUntil = null;
        }

        FailedAttempts++;
        if (FailedAttempts >= maxAttempts)
        {
            LockedUntil = now + lockout;
            FailedAttempts = 0;
        }
    }
}
