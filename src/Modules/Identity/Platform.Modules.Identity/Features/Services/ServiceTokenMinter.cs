using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Services;

/// <summary>
/// Signs service tokens: five minutes, for one module's internal endpoints. The token endpoint uses it for
/// services that showed their secret; this process uses it directly for its own calls to other processes.
/// </summary>
internal sealed class ServiceTokenMinter(IOptions<JwtOptions> jwt, ITokenSigningKeys keys, TimeProvider clock) : IServiceTokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new();

    public IssuedServiceToken Issue(string service, string module)
    {
        var now = clock.GetUtcNow();
        var lifetime = JwtOptions.ServiceTokenLifetime;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = ServiceTokens.AudienceOf(module),
            Subject = new ClaimsIdentity([
                new Claim(PlatformClaims.Subject, service),
                new Claim(ServiceTokens.TokenUseClaim, ServiceTokens.TokenUse),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = keys.Current,
        });
        return new IssuedServiceToken(token, lifetime);
    }
}
