using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Tokens;

internal sealed record TokenResponse(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType = "Bearer");

/// <summary>
/// Issues an access token and a rotating refresh token for a session; only the refresh token's hash is
/// stored. The access token names its session and the account's security stamp, which every request checks.
/// </summary>
internal sealed class TokenIssuer(IdentityDbContext db, IOptions<JwtOptions> jwt, ITokenSigningKeys keys, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public TokenResponse Issue(User user, Guid sessionId)
    {
        var settings = jwt.Value;
        var now = clock.GetUtcNow();
        var claims = new List<Claim>
        {
            new(PlatformClaims.Subject, user.Id.ToString()),
            new(PlatformClaims.Email, user.Email),
            new(PlatformClaims.Name, user.DisplayName),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(PlatformClaims.SessionId, sessionId.ToString()),
            new(PlatformClaims.SecurityStamp, user.SecurityStamp),
        };
        claims.AddRange(user.RoleNames.Select(role => new Claim(PlatformClaims.Role, role)));

        var accessToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = keys.Current,
        });

        var refreshToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(Domain.RefreshToken.Issue(
            user.Id, sessionId, Hash(refreshToken), now, settings.RefreshTokenLifetime));

        return new TokenResponse(accessToken, (int)settings.AccessTokenLifetime.TotalSeconds, refreshToken);
    }

    public static string Hash(string refreshToken) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
