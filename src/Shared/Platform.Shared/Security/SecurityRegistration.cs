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
    public static IServiceCollection AddPlatformSecurity(this IServiceCollection services, IConfiguration configuration, IReadOnlyCollection<string> hostedModules, bool development)
    {
        var identityHosted = hostedModules.Contains("Identity", StringComparer.OrdinalIgnoreCase);
        services.AddSingleton(JwtBearerSetup.Locate(configuration, identityHosted, development));
        services.AddSingleton(new HostedModules(hostedModules));
        services.AddSingleton<RemoteSigningKeys>();
        services.AddSingleton((configuration.GetSection("Security:SessionCheck").Get<SessionCheckOptions>() ?? new SessionCheckOptions()).Validated());
        var self = ServiceIdentity.From(configuration);
        if (self is not null)
        {
            services.AddSingleton(self);
        }

        services.AddSingleton<ServiceTokenClient>();

        if (!identityHosted)
        {
            // Sessions are Identity's: another process asks it, with its own service credential.
            _ = self ?? throw new InvalidOperationException(
                "Identity is not hosted here, so this process asks Identity's process whether a session is still live, with a service credential of its own: " +
                "set Service:Name and Service:Secret (at least 32 random characters), and register the same name in Identity's process (Identity:Services:<name>:SecretHash and :Audiences). docs/security.md shows how.");
            services.AddSingleton<IAccessTokenCheck, RemoteAccessTokenCheck>();
            services.AddHealthChecks().AddCheck<IdentityReachHealthCheck>("identity-reach", tags: ["ready"]);
        }

        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsSetup>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer().AddJwtBearer(ServiceTokens.Scheme);
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
        // The service scheme accepts only audiences of modules hosted here.
        services.AddAuthorizationBuilder().AddPolicy(ServiceTokens.AnyHostedModulePolicy, policy => policy
            .AddAuthenticationSchemes(ServiceTokens.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ServiceTokens.TokenUseClaim, ServiceTokens.TokenUse));
        foreach (var module in hostedModules)
        {
            // A module's internal endpoints: a service token for that module, and nothing else.
            services.AddAuthorizationBuilder().AddPolicy(ServiceTokens.PolicyOf(module), policy => policy
                .AddAuthenticationSchemes(ServiceTokens.Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ServiceTokens.TokenUseClaim, ServiceTokens.TokenUse)
                .RequireClaim("aud", ServiceTokens.AudienceOf(module)));
        }
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
