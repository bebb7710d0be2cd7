using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Services;

internal sealed record SessionState(bool Valid, IReadOnlyList<string> Roles, string? Reason);

internal sealed record SessionQuestion(Guid UserId, string? SessionId, string? Stamp);

/// <summary>
/// <c>POST /internal/identity/access</c> (user, session and stamp in the body, out of access logs): what
/// another process asks before it trusts a user token (service tokens only): is the session live, and with
/// which roles now.
/// </summary>
internal static class CheckSession
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/access", HandleAsync);

    private static async Task<Ok<SessionState>> HandleAsync(SessionQuestion question, IAccessTokenCheck sessions, CancellationToken cancellationToken)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([
            new Claim(PlatformClaims.Subject, question.UserId.ToString()),
            new Claim(PlatformClaims.SessionId, question.SessionId ?? string.Empty),
            new Claim(PlatformClaims.SecurityStamp, question.Stamp ?? string.Empty)]));
        var verdict = await sessions.CheckAsync(principal, cancellationToken);
        return TypedResults.Ok(new SessionState(verdict.IsValid, verdict.Roles, verdict.Reason));
    }
}
