namespace Platform.Shared.Messaging;

/// <summary>
/// When a consumer next looks for stored retries that are due, in Unix milliseconds (0: not known yet). A pass
/// reads the store and settles the time it found; a wake-up asked for meanwhile (a failure stored for retry, a
/// replay) is never lost to it. A sooner time asked for is kept; any other request during the pass makes the next
/// pass run at once, because the row it announces may have been committed after the pass read the store, and the
/// time the pass found (another row's, perhaps hours away) would otherwise stand until then.
/// </summary>
internal sealed class RetryCheck
{
    private long _at;
    private long _requests;

    public long At => Interlocked.Read(ref _at);

    /// <summary>Counts requests; a pass notes it when it starts and hands it to <see cref="Settle"/>.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Asks for a look at <paramref name="ms"/>; true when that moved the check sooner (wake the worker).</summary>
    public bool Advance(long ms)
    {
        Interlocked.Increment(ref _requests);
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

    /// <summary>
    /// Sets the time a pass found, the pass having started from the check <paramref name="read"/> after
    /// <paramref name="requestsSeen"/> requests: a sooner time asked for since stays, and any request since makes it now.
    /// </summary>
    public void Settle(long read, long requestsSeen, long next, long nowMs)
    {
        long requests;
        do
        {
            requests = Requests;
            var target = requests == requestsSeen ? next : Math.Min(next, nowMs);
            long seen;
            do
            {
                seen = Interlocked.Read(ref _at);
                if (seen != read && seen != 0 && seen < target)
                {
                    break;
                }
            }
            while (Interlocked.CompareExchange(ref _at, target, seen) != seen);
        }
        while (Requests != requests); // a request arrived while settling: settle again with it in view
    }

    public void Reset(long ms) => Interlocked.Exchange(ref _at, ms);
}
