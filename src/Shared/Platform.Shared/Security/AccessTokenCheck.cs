using System.Security.Claims;

namespace Platform.Shared.Security;

/// <summary>
/// Decides on every authenticated request whether the access token still stands for a live session of
/// its account, and with which roles: the account's current ones, not those the token was issued with.
/// The module that owns accounts (Identity) provides it; without one, a token stands until it expires.
/// </summary>
public interface IAccessTokenCheck
{
    ValueTask<AccessTokenVerdict> CheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken);
}

/// <summary>A token's verdict: refused with a reason, or accepted with the account's current roles.</summary>
public sealed record AccessTokenVerdict(bool IsValid, IReadOnlyList<string> Roles, string? Reason)
{
    public static AccessTokenVerdict Valid(IReadOnlyList<string> roles) => new(true, roles, null);

    public static AccessTokenVerdict Invalid(string reason) => new(false, [], reason);
}
