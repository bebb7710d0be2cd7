namespace Platform.Shared.Messaging;

/// <summary>An auto-reset wake-up: many sets before a wait count as one, and none is lost.</summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the waiter wakes once, which is all it needs.
        }
    }

    /// <summary>
    /// Waits for a set or the timeout (<see cref="Timeout.InfiniteTimeSpan"/>: no time limit); true when woken
    /// by a set. A deadline already past is no wait at all.
    /// </summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout == Timeout.InfiniteTimeSpan || timeout >= TimeSpan.Zero ? timeout : TimeSpan.Zero, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
