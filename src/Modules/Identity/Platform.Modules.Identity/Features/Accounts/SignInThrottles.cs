using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Persistence;

namespace Platform.Modules.Identity.Features.Accounts;

/// <summary>
/// Counts failed sign-ins per email and client with statements that decide by themselves, so two
/// failures at the same moment are both counted, on any provider and isolation level.
/// </summary>
internal static class SignInThrottles
{
    /// <summary>
    /// Counts one failure; returns the lockout it started, if it reached the limit. <paramref name="lockoutEnded"/>:
    /// the throttle as read showed a lockout that has run out, so the count starts afresh.
    /// </summary>
    public static async Task<TimeSpan?> RecordFailureAsync(
        IdentityDbContext db, string email, string client, bool lockoutEnded, DateTimeOffset now, IdentityModuleOptions.LockoutOptions lockout, CancellationToken cancellationToken)
    {
        var throttles = db.SignInThrottles.Where(t => t.NormalizedEmail == email && t.Client == client);
        if (lockoutEnded)
        {
            await throttles.ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntil, (DateTimeOffset?)null).SetProperty(t => t.FailedAttempts, 0), cancellationToken);
        }

        if (await throttles.ExecuteUpdateAsync(s => s.SetProperty(t => t.FailedAttempts, t => t.FailedAttempts + 1), cancellationToken) == 0)
        {
            await InsertFirstFailureAsync(db, email, client, cancellationToken);
        }

        var until = now + lockout.Duration;
        var locked = await throttles.Where(t => t.FailedAttempts >= lockout.MaxFailedAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntil, until).SetProperty(t => t.FailedAttempts, 0), cancellationToken);
        return locked > 0 ? lockout.Duration : null;
    }

    private static async Task InsertFirstFailureAsync(IdentityDbContext db, string email, string client, CancellationToken cancellationToken)
    {
        var first = SignInThrottle.For(email, client);
        first.RecordFailure(DateTimeOffset.MinValue, int.MaxValue, TimeSpan.Zero);
        db.SignInThrottles.Add(first);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueConstraint.IsViolation(exception))
        {
            // Another failure inserted it first: count this one on top.
            db.Entry(first).State = EntityState.Detached;
            await db.SignInThrottles.Where(t => t.NormalizedEmail == email && t.Client == client)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FailedAttempts, t => t.FailedAttempts + 1), cancellationToken);
        }
    }
}
