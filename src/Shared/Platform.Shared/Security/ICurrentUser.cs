using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Platform.Shared.Security;

/// <summary>The caller of the current request, for any module that checks ownership or roles.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The user id; throws when the caller is anonymous, which an authorized endpoint never is.</summary>
    Guid Id { get; }

    string? Email { get; }

    /// <summary>The session the caller's token belongs to; throws when the token names none.</summary>
    Guid SessionId { get; }

    IReadOnlyList<string> Roles { get; }

    bool IsInRole(string role);
}

internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid Id => Guid.TryParse(Principal?.FindFirstValue(PlatformClaims.Subject), out var id)
        ? id
        : throw new InvalidOperationException("The current request has no authenticated user.");

    public string? Email => Principal?.FindFirstValue(PlatformClaims.Email);

    public Guid SessionId => Guid.TryParse(Principal?.FindFirstValue(PlatformClaims.SessionId), out var id)
        ? id
        : throw new InvalidOperationException("The current request's token names no session.");

    public IReadOnlyList<string> Roles => Principal?.FindAll(PlatformClaims.Role).Select(c => c.Value).ToList() ?? [];

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;
}
