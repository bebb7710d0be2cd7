namespace Platform.Shared.Security;

/// <summary>The <c>Jwt</c> section: how access tokens are signed (by Identity's process) and checked (by every process).</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "platform";

    public string Audience { get; set; } = "platform-api";

    /// <summary>
    /// Where the process that hosts Identity keeps its signing keys (ES256, P-256): a key ring file that
    /// <c>rotate-keys</c> creates and adds to. Generated in the data folder in Development; required
    /// everywhere else. Other processes never need it: they fetch the public keys.
    /// </summary>
    public string? KeyRingFile { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a service token lives (<c>/internal/identity/token</c>).</summary>
    public static TimeSpan ServiceTokenLifetime { get; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a newer key appears an older one still validates: the longest a token it signed (user's or service's) can live.</summary>
    public TimeSpan KeyRetirementDelay => (AccessTokenLifetime > ServiceTokenLifetime ? AccessTokenLifetime : ServiceTokenLifetime) + ClockSkew;
}
