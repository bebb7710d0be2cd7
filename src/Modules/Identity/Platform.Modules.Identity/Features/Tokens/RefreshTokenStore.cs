using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Persistence;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>
/// Uses refresh tokens with statements that decide by themselves, so a guarantee never rests on a
/// read followed by a write: two refreshes that both read a token as unused cannot both use it, on
/// any provider and isolation level.
/// </summary>
internal static class RefreshTokenStore
{
    /// <summary>Marks the token used if, and only if, it is still unused and not revoked: false means someone used it first.</summary>
    public static async Task<bool> TryUseAsync(IdentityDbContext db, Guid tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await Unused(db, tokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;

    /// <summary>The statement <see cref="TryUseAsync"/> runs; its condition is the guarantee.</summary>
    internal static IQueryable<RefreshToken> Unused(IdentityDbContext db, Guid tokenId) =>
        db.RefreshTokens.Where(t => t.Id == tokenId && t.UsedAt == null && t.RevokedAt == null);

    /// <summary>Revokes every refresh token of the given sessions.</summary>
    public static Task<int> RevokeSessionsAsync(IdentityDbContext db, IReadOnlyCollection<Guid> sessionIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => sessionIds.Contains(t.FamilyId) && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
}
