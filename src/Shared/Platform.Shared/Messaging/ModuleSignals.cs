using System.Collections.Concurrent;

namespace Platform.Shared.Messaging;

/// <summary>
/// Wake-up calls for the dispatchers: a commit that wrote outbox rows wakes its module's outbox
/// loop, a delivery wakes the subscriber's inbox loop. Polling is only the fallback.
/// </summary>
public sealed class ModuleSignals
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.OrdinalIgnoreCase);

    public Signal Outbox(string module) => _signals.GetOrAdd("outbox:" + module, _ => new Signal());

    public Signal Inbox(string module) => _signals.GetOrAdd("inbox:" + module, _ => new Signal());

    /// <summary>An auto-reset signal: many sets before a wait count as one wake-up, none is lost.</summary>
    public sealed class Signal : IDisposable
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
                // Already set: the waiter will wake once, which is all it needs.
            }
        }

        /// <summary>Waits for a set or the timeout; true when woken by a set.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            _semaphore.WaitAsync(timeout, cancellationToken);

        public void Dispose() => _semaphore.Dispose();
    }
}
