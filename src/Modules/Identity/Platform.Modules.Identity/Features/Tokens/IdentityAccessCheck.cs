using System.Security.Claims;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>
/// Every request's token must belong to an existing, unlocked account whose security stamp it still
/// carries, and to a session that has not ended; the request then runs with the account's current
/// roles, whatever roles the token was issued with.
/// </summary>
internal sealed class IdentityAccessCheck(AccountStateCache accounts) : IAccessTokenCheck
{
    public async ValueTask<AccessTokenVerdict> CheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!Guid.TryParse(principal.FindFirstValue(PlatformClaims.Subject), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(PlatformClaims.SessionId), out var sessionId))
        {
            return AccessTokenVerdict.Invalid("The token names no account or session.");
        }

        var account = await accounts.GetAsync(userId, cancellationToken);
        if (account.Exists && !account.ActiveSessions.Contains(sessionId))
        {
            // A session started after the account was cached (here or by another instance): look again once.
            account = await accounts.ReloadAsync(userId, cancellationToken);
        }

        return !account.Exists || account.IsLocked ? AccessTokenVerdict.Invalid("The account is locked or gone.")
            : principal.FindFirstValue(PlatformClaims.SecurityStamp) != account.SecurityStamp ? AccessTokenVerdict.Invalid("Every session of the account was ended.")
            : !account.ActiveSessions.Contains(sessionId) ? AccessTokenVerdict.Invalid("The session has ended.")
            : AccessTokenVerdict.Valid(account.Roles);
    }
}
