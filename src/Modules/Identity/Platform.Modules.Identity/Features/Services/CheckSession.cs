using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Services;

internal sealed record SessionState(bool Valid, IReadOnlyList<string> Roles, string? Reason);

/// <summary>
/// <c>GET /internal/identity/access/{userId}?sessionId=&amp;stamp=</c>: what another process asks before it
/// trusts a user token (service tokens only): is the session live, and with which roles now.
/// </summary>
internal static class CheckSession
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/access/{userId:guid}", HandleAsync);

    private static async Task<Ok<SessionState>> HandleAsync(Guid userId, string? sessionId, string? stamp, IAccessTokenCheck sessions, CancellationToken cancellationToken)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([
            new Claim(PlatformClaims.Subject, userId.ToString()),
            new Claim(PlatformClaims.SessionId, sessionId ?? string.Empty),
            new Claim(PlatformClaims.SecurityStamp, stamp ?? string.Empty)]));
        var verdict = await sessions.CheckAsync(principal, cancellationToken);
        return TypedResults.Ok(new SessionState(verdict.IsValid, verdict.Roles, verdict.Reason));
    }
}
