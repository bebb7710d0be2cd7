using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
internal sealed partial class RotateSigningKeys(IOptions<JwtOptions> jwt, DataFolder dataFolder, IHostEnvironment environment, TimeProvider clock, ILogger<RotateSigningKeys> logger)
    : IModuleCommand
{
    public string Name => "rotate-keys";

    public string Description => "Adds a new signing key for user tokens to Jwt:KeyRingFile (creating it the first time) and drops keys no live token can need.";

    public Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var path = SigningKeyRing.PathOf(jwt.Value, dataFolder, environment.IsDevelopment());
        var kid = SigningKeyRing.Rotate(path, clock.GetUtcNow(), jwt.Value.KeyRetirementDelay);
        LogRotated(kid, path);
        return Task.FromResult(0);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {Kid} added to {Path}: new tokens are signed with it")]
    private partial void LogRotated(string kid, string path);
}
