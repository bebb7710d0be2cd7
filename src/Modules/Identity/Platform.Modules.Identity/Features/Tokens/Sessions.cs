using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Persistence;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>
/// Starts and ends sessions: ending marks them ended and revokes their refresh tokens, and once that
/// commits the cached account state is forgotten, so the next request sees it at once.
/// </summary>
internal sealed class Sessions(IdentityDbContext db, AccountStateCache cache, UnitOfWork unitOfWork, TimeProvider clock)
{
    /// <summary>A new session, saved with the command's unit of work.</summary>
    public UserSession Start(User user)
    {
        var session = UserSession.Start(user.Id, clock.GetUtcNow());
        db.Sessions.Add(session);
        ForgetAfterCommit(user.Id);
        return session;
    }

    public Task EndAsync(Guid userId, Guid sessionId, string reason, CancellationToken cancellationToken) =>
        EndWhereAsync(userId, db.Sessions.Where(s => s.UserId == userId && s.Id == sessionId), reason, cancellationToken);

    public Task EndAllAsync(Guid userId, string reason, CancellationToken cancellationToken) =>
        EndWhereAsync(userId, db.Sessions.Where(s => s.UserId == userId), reason, cancellationToken);

    /// <summary>The account changed in a way every request must see (roles, stamp, lock).</summary>
    public void ForgetAfterCommit(Guid userId) => unitOfWork.AfterCommit(() => cache.Invalidate(userId));

    private async Task EndWhereAsync(Guid userId, IQueryable<UserSession> sessions, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ids = await sessions.Where(s => s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        if (ids.Count > 0)
        {
            await db.Sessions.Where(s => ids.Contains(s.Id) && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
            await RefreshTokenStore.RevokeSessionsAsync(db, ids, now, cancellationToken);
        }

        ForgetAfterCommit(userId);
    }
}
