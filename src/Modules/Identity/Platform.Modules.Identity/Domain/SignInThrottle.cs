namespace Platform.Modules.Identity.Domain;

/// <summary>
/// Failed sign-ins per email address and client network, whether or not an account has that address,
/// so lockout behaves the same for unknown emails and tells an attacker nothing about which accounts
/// exist; and counted per client, so someone guessing from one place cannot lock the owner out from
/// another.
/// </summary>
internal sealed class SignInThrottle
{
    private SignInThrottle()
    {
    }

    public string NormalizedEmail { get; private set; } = string.Empty;

    /// <summary>The client's IPv4 address or IPv6 /64 network.</summary>
    public string Client { get; private set; } = string.Empty;

    public int FailedAttempts { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public static SignInThrottle For(string normalizedEmail, string client) => new() { NormalizedEmail = normalizedEmail, Client = client };

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
