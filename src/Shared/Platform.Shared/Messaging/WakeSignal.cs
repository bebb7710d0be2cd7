namespace Platform.Shared.Messaging;

/// <summary>An auto-reset wake-up: many sets before a wait count as one, and none is lost.</summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        // Only setters raise the count, and they take turns here: a set while one is pending is no
        // SemaphoreFullException (thrown and caught at every commit under load, it cost more than the wake-up).
        lock (_semaphore)
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
    }

    /// <summary>
    /// Waits for a set or the timeout; true when woken by a set. A negative timeout (a deadline already past,
    /// however little) is no wait at all: it is never taken for "no time limit".
    /// </summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellationToken);

    /// <summary>Waits, with no time limit, for a set or the cancellation.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
