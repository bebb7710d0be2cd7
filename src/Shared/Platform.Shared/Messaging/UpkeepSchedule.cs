using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Persistence;

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

    /// <summary>
    /// Does the upkeep that is due, in one scope of the module's context: <paramref name="renew"/> the held leases,
    /// <paramref name="housekeep"/> once a second, and after it <paramref name="cleanup"/> every ten minutes. A failure
    /// goes to <paramref name="failed"/> and never stops the worker; a renewal that did not finish waits for the back-off,
    /// housekeeping that did not start is due again at once, and cleanup counts as done only once it has started.
    /// </summary>
    public async Task RunAsync(
        IServiceScopeFactory scopes,
        Type contextType,
        Func<DbContext, CancellationToken, Task> renew,
        Func<DbContext, DateTimeOffset, CancellationToken, Task> housekeep,
        Func<DbContext, DateTimeOffset, CancellationToken, Task> cleanup,
        Action<Exception> failed,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var renewal = RenewalDue(now);
        var housekeeping = now >= _nextHousekeeping;
        if (!renewal && !housekeeping)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetDbContext(contextType);
            if (renewal)
            {
                await renew(db, cancellationToken);
                Renewed(clock.GetUtcNow()); // the wait for the turn may have been long
            }

            if (housekeeping && TakeHousekeeping(now))
            {
                await housekeep(db, now, cancellationToken);
                if (TakeCleanup(now))
                {
                    await cleanup(db, now, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Reported; the worker goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (renewal && RenewalDue(now))
            {
                RenewalFailed(clock.GetUtcNow()); // whatever failed, after however long a wait, the next attempt waits
            }

            failed(exception);
        }
    }

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
