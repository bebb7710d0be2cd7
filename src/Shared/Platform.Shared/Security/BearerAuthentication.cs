using Microsoft.AspNetCore.Builder;
using Microsoft.Net.Http.Headers;

namespace Platform.Shared.Security;

/// <summary>
/// Authentication only for requests that bring credentials. Bearer tokens in the Authorization header are the only
/// credentials here, so a request without that header stays anonymous, exactly as the bearer handlers would have
/// left it, and the endpoint's policy decides (a 401 naming Bearer where one is required). Authenticating it anyway
/// (the handler provider and a bearer handler built per request) cost about 4 % of an anonymous product read's CPU
/// (docs/decisions/0009).
/// </summary>
internal static class BearerAuthentication
{
    // What UseAuthentication records on the builder it is called on. WebApplication puts an authentication middleware
    // of its own first in the pipeline unless its builder has it, and a UseWhen branch's builder does not pass it back.
    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder UseBearerAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(context => context.Request.Headers.ContainsKey(HeaderNames.Authorization), credentials => credentials.UseAuthentication());
        app.Properties[AuthenticationMiddlewareSet] = true;
        return app;
    }
}
