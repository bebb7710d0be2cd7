using Microsoft.Extensions.Options;

namespace Platform.Shared.Security;

/// <summary>Token lifetimes that make sense; the signing keys are checked by whoever holds them (Identity's process).</summary>
internal sealed class JwtOptionsSetup : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options) =>
        options.AccessTokenLifetime <= TimeSpan.Zero || options.RefreshTokenLifetime <= options.AccessTokenLifetime
            ? ValidateOptionsResult.Fail("Jwt:AccessTokenLifetime must be positive and shorter than Jwt:RefreshTokenLifetime.")
            : ValidateOptionsResult.Success;
}
