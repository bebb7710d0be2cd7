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

    /// <summary>Waits for a set or the timeout; true when woken by a set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
