using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Platform.Shared.Security;

/// <summary>
/// The fallback policy also applies to requests that match no endpoint. Those have nothing to
/// protect, so they go on to be answered 404 instead of 401, which would hide a mistyped URL.
/// </summary>
internal sealed class UnknownRouteAuthorizationHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint() is null
            ? next(context)
            : _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
