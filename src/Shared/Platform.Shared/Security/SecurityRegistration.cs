using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Platform.Shared.Security;

internal static class SecurityRegistration
{
    /// <summary>Deny by default: every endpoint needs an authenticated caller unless it opts out on purpose.</summary>
    public static IServiceCollection AddPlatformSecurity(this IServiceCollection services, IConfiguration configuration, bool identityHosted, bool development)
    {
        services.AddSingleton(JwtBearerSetup.Locate(configuration, identityHosted, development));
        services.AddSingleton<RemoteSigningKeys>();
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsSetup>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // AddAuthentication brings ASP.NET Core Data Protection for cookies, whose hosted service loads or
        // writes an XML key ring at every start. Bearer tokens never use it: leaving the key ring to load on
        // first use (which never comes) saves start-up time and a few MB (docs/decisions/0009).
        foreach (var keyRingLoader in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(keyRingLoader);
        }
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PlatformPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(PlatformRoles.Admin))
            .AddPolicy(PlatformPolicies.Customer, policy => policy.RequireAuthenticatedUser().RequireRole(PlatformRoles.Customer));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, UnknownRouteAuthorizationHandler>();

        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();

        var api = configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
        services.AddSingleton(api);
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = api.HstsMaxAge;
            hsts.IncludeSubDomains = api.HstsIncludeSubDomains;
        });
        services.AddSingleton<SecurityAudit>();
        services.AddPlatformForwardedHeaders(configuration);
        services.AddPlatformRateLimiting(configuration);
        return services;
    }
}
