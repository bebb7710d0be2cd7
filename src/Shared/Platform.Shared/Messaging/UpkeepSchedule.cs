namespace Platform.Shared.Messaging;

/// <summary>
/// When a messaging worker (an outbox relay or a module consumer) does its upkeep: renewing the leases it holds
/// every LeaseDuration / 3, housekeeping once a second, cleanup every ten minutes. A renewal that failed is due
/// again after the loop's back-off (at most one renewal interval), never at once: the time until the next renewal
/// bounds the worker's sleep, so a renewal failing at once (a read-only file, a constraint) would otherwise keep
/// the loop from sleeping at all.
/// </summary>
internal sealed class UpkeepSchedule(MessagingOptions options, TimeProvider clock)
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);

    private DateTimeOffset _nextRenewal = DateTimeOffset.MinValue;
    private DateTimeOffset _nextHousekeeping = DateTimeOffset.MinValue;
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;
    private int _renewalFailures;

    private TimeSpan RenewalInterval => options.LeaseDuration / 3;

    public bool RenewalDue(DateTimeOffset now) => now >= _nextRenewal;

    public void Renewed(DateTimeOffset now)
    {
        _renewalFailures = 0;
        _nextRenewal = now + RenewalInterval;
    }

    public void RenewalFailed(DateTimeOffset now)
    {
        _renewalFailures = Math.Min(_renewalFailures + 1, 16);
        var pause = MessagingBackoff.AfterLoopFailure(_renewalFailures, options);
        _nextRenewal = now + (pause < RenewalInterval ? pause : RenewalInterval);
    }

    /// <summary>True once a second; the caller housekeeps now.</summary>
    public bool TakeHousekeeping(DateTimeOffset now) => Take(ref _nextHousekeeping, now, HousekeepingInterval);

    public TimeSpan UntilHousekeeping(DateTimeOffset now) => _nextHousekeeping - now;

    /// <summary>True every ten minutes; the caller deletes old processed rows now.</summary>
    public bool TakeCleanup(DateTimeOffset now) => Take(ref _nextCleanup, now, CleanupInterval);

    /// <summary>The longest the worker may sleep: <paramref name="wait"/>, or less when a renewal is due sooner.</summary>
    public TimeSpan Bound(TimeSpan wait)
    {
        var untilRenewal = _nextRenewal - clock.GetUtcNow();
        return untilRenewal < wait ? untilRenewal : wait;
    }

    private static bool Take(ref DateTimeOffset next, DateTimeOffset now, TimeSpan interval)
    {
        if (now < next)
        {
            return false;
        }

        next = now + interval;
        return true;
    }
}
