using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.Shared.Security;

/// <summary>
/// The fallback policy also applies to requests that reach no application endpoint: an unknown
/// route (no endpoint) or one routing rejected (its plain 405 and 415 endpoints). Those have nothing
/// to protect, so they go on to their real answer (404, 405, 400) instead of a misleading 401.
/// </summary>
internal sealed class UnknownRouteAuthorizationHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint() is RouteEndpoint
            ? _default.HandleAsync(next, context, policy, authorizeResult)
            : next(context);
    }
}
