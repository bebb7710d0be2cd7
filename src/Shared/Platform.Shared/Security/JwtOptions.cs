using Microsoft.IdentityModel.Tokens;

namespace Platform.Shared.Security;

/// <summary>The <c>Jwt</c> section: how access tokens are signed and checked, in every process.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "platform";

    public string Audience { get; set; } = "platform-api";

    /// <summary>
    /// HS256 key: base64 of at least 32 random bytes (<see cref="SigningKeyRules"/>). Never in the
    /// repository: generated locally in Development, required everywhere else.
    /// </summary>
    public string SigningKey { get; set; } = string.Empty;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public SymmetricSecurityKey CreateSigningKey() =>
        new(SigningKeyRules.Decode(SigningKey, out var problem) ?? throw new InvalidOperationException($"Jwt:SigningKey {problem}."));
}
