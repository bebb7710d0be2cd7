using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Platform.Shared.Configuration;
using Platform.Shared.Modules;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>
/// <c>rotate-keys</c>: adds a new signing key to the key ring (creating the ring the first time). The
/// running Identity process signs with it within a second; every other process learns it from the key
/// set the first time a token names it. Keys whose successor is older than the longest token lifetime
/// are dropped. Run it on a schedule (e.g. monthly), or at once if a key may have leaked: then run it
/// twice, more than <c>Jwt:AccessTokenLifetime + Jwt:ClockSkew</c> apart, to retire the leaked key.
/// </summary>
internal sealed partial class RotateSigningKeys(IConfiguration configuration, DataFolder dataFolder, IHostEnvironment environment, TimeProvider clock, ILogger<RotateSigningKeys> logger)
    : IModuleCommand
{
    /// <summary>It creates the ring the start-up checks require, so it runs before them.</summary>
    public bool NeedsValidSettings => false;

    public string Name => "rotate-keys";

    public string Description => "Adds a new signing key for user tokens to Jwt:KeyRingFile (creating it the first time) and drops keys no live token can need.";

    public Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The raw section: the validated options would refuse the very ring this command is about to create.
        var jwt = configuration.GetSection(JwtOptions.SectionName).Get<JwtOptions>() ?? new JwtOptions();
        var path = SigningKeyRing.PathOf(jwt, dataFolder, environment.IsDevelopment());
        var kid = SigningKeyRing.Rotate(path, clock.GetUtcNow(), jwt.KeyRetirementDelay);
        LogRotated(kid, path);
        return Task.FromResult(0);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {Kid} added to {Path}: new tokens are signed with it")]
    private partial void LogRotated(string kid, string path);
}
