namespace Platform.Shared.Messaging;

/// <summary>
/// When a consumer next looks for stored retries that are due, in Unix milliseconds (0: not known yet). A pass
/// that finds the next due time settles it; a wake-up asked for meanwhile (a failure stored for retry, a replay)
/// for an earlier time is kept, not overwritten by what the pass computed from its earlier read. Overwriting it
/// delayed such a retry by up to one poll.
/// </summary>
internal sealed class RetryCheck
{
    private long _at;

    public long At => Interlocked.Read(ref _at);

    /// <summary>Moves the check to <paramref name="ms"/> if that is sooner; true when it moved (wake the worker).</summary>
    public bool Advance(long ms)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _at);
            if (seen != 0 && seen <= ms)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _at, ms, seen) != seen);
        return true;
    }

    /// <summary>Sets the time a pass found, the pass having started from <paramref name="read"/>; a sooner time asked for since stays.</summary>
    public void Settle(long read, long next)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _at);
            if (seen != read && seen != 0 && seen < next)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _at, next, seen) != seen);
    }

    public void Reset(long ms) => Interlocked.Exchange(ref _at, ms);
}
