using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Shared.Security;

/// <summary>
/// Checks issuer, audience, lifetime and the exact algorithm; unsigned (alg none) tokens are refused.
/// Then every request asks <see cref="IAccessTokenCheck"/> whether the token's session is still live and
/// runs with the account's current roles. Error details stay out of WWW-Authenticate outside Development.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<JwtOptions> jwt, IHostEnvironment environment) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        var settings = jwt.Value;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = environment.IsDevelopment();
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = settings.CreateSigningKey(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
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
        options.Events = new JwtBearerEvents { OnTokenValidated = CheckSessionAsync };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

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
