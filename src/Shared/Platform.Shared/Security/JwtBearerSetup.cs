using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Shared.Security;

/// <summary>
/// Checks issuer, audience, lifetime and the exact algorithm (ES256); unsigned (alg none) and symmetric
/// tokens are refused. The keys are Identity's: in its own process the key ring's public halves; in any
/// other, the key set published at <c>Modules:Identity:Url</c> (<see cref="RemoteSigningKeys"/>).
/// Then every request asks <see cref="IAccessTokenCheck"/> whether the token's session is still live and
/// runs with the account's current roles. Error details stay out of WWW-Authenticate outside Development.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<JwtOptions> jwt, IHostEnvironment environment, IServiceProvider services, HostedModules hosted)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        var settings = jwt.Value;
        var service = name == ServiceTokens.Scheme;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = environment.IsDevelopment();
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            // Users' tokens are for the API; service tokens for one hosted module's internal endpoints.
            ValidAudiences = service ? hosted.Names.Select(ServiceTokens.AudienceOf).ToList() : [settings.Audience],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = PlatformClaims.Subject,
            RoleClaimType = PlatformClaims.Role,
        };
        if (services.GetService<ITokenSigningKeys>() is { } keys)
        {
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.ValidationKeys;
        }
        else
        {
            // Checked at start (SecurityRegistration): set, and https unless on this machine or in Development.
            var remote = services.GetRequiredService<RemoteSigningKeys>();
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => remote.Keys;
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context => remote.EnsureAsync(BearerTokenOf(context.Request), context.HttpContext.RequestAborted),
                OnTokenValidated = service ? RequireServiceToken : CheckSessionAsync,
            };
            return;
        }

        options.Events = new JwtBearerEvents { OnTokenValidated = service ? RequireServiceToken : CheckSessionAsync };
    }

    /// <summary>A user's token never passes for a service's, whatever its audience.</summary>
    private static Task RequireServiceToken(TokenValidatedContext context)
    {
        if (context.Principal?.FindFirst(ServiceTokens.TokenUseClaim)?.Value != ServiceTokens.TokenUse)
        {
            context.Fail("Not a service token.");
        }

        return Task.CompletedTask;
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    private static string? BearerTokenOf(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    /// <summary>Refuses to start, naming the setting, when this process cannot check user tokens.</summary>
    internal static IssuerLocation Locate(Microsoft.Extensions.Configuration.IConfiguration configuration, bool identityHosted, bool development)
    {
        if (identityHosted)
        {
            return new IssuerLocation(null);
        }

        return new IssuerLocation(Modules.ModuleAddresses.Parse(configuration["Modules:Identity:Url"], "Identity", development)
            ?? throw new InvalidOperationException(
                "Identity is not hosted here, so user tokens are checked against its published keys: set Modules:Identity:Url to the http(s) address of the process that hosts it."));
    }

    private static async Task CheckSessionAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity
            || context.HttpContext.RequestServices.GetService<IAccessTokenCheck>() is not { } check)
        {
            return;
        }

        var verdict = await check.CheckAsync(context.Principal, context.HttpContext.RequestAborted);
        if (!verdict.IsValid)
        {
            context.Fail(verdict.Reason ?? "The session has ended.");
            return;
        }

        foreach (var stale in identity.FindAll(PlatformClaims.Role).ToList())
        {
            identity.RemoveClaim(stale);
        }

        identity.AddClaims(verdict.Roles.Select(role => new Claim(PlatformClaims.Role, role)));
    }
}

/// <summary>The modules this process hosts: the audiences its internal endpoints accept.</summary>
internal sealed record HostedModules(IReadOnlyCollection<string> Names);

/// <summary>Where Identity is reached when it is not hosted here (<c>Modules:Identity:Url</c>); null when it is.</summary>
internal sealed record IssuerLocation(Uri? Url);

/// <summary>Claim names in Platform's access tokens.</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";

    /// <summary>The session (the sign-in and its chain of refresh tokens) the token belongs to.</summary>
    public const string SessionId = "sid";

    /// <summary>The account's security stamp when the token was issued; it changes when every session must end.</summary>
    public const string SecurityStamp = "sst";
}
