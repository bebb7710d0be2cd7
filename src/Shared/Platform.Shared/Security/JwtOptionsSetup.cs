using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Shared.Configuration;

namespace Platform.Shared.Security;

/// <summary>
/// In Development, a missing signing key is generated once and kept in the data folder, so tokens
/// survive restarts and no key is ever committed. Elsewhere a missing key stops start-up.
/// </summary>
internal sealed class JwtOptionsSetup(IHostEnvironment environment, DataFolder dataFolder)
    : IPostConfigureOptions<JwtOptions>, IValidateOptions<JwtOptions>
{
    private const string KeyFileName = "jwt-signing.key";

    public void PostConfigure(string? name, JwtOptions options)
    {
        if (string.IsNullOrEmpty(options.SigningKey) && environment.IsDevelopment())
        {
            options.SigningKey = ReadOrCreateDevelopmentKey();
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return ValidateOptionsResult.Fail(
                $"Jwt:SigningKey must be set to base64 of at least {SigningKeyRules.MinimumBytes} random bytes " +
                "(for example from an environment variable Jwt__SigningKey or a secret store; `openssl rand -base64 48` makes one). It is generated automatically only in Development.");
        }

        if (SigningKeyRules.Decode(options.SigningKey, out var problem) is null)
        {
            return ValidateOptionsResult.Fail(
                $"Jwt:SigningKey {problem}: it must be base64 of at least {SigningKeyRules.MinimumBytes} random bytes (`openssl rand -base64 48` makes one).");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.RefreshTokenLifetime <= options.AccessTokenLifetime)
        {
            return ValidateOptionsResult.Fail("Jwt:AccessTokenLifetime must be positive and shorter than Jwt:RefreshTokenLifetime.");
        }

        return ValidateOptionsResult.Success;
    }

    private string ReadOrCreateDevelopmentKey()
    {
        var path = dataFolder.File(KeyFileName);
        if (File.Exists(path) && SigningKeyRules.Decode(File.ReadAllText(path), out _) is not null)
        {
            return File.ReadAllText(path).Trim();
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
