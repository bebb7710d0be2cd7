using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Shared.Configuration;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>Opens the key ring with the other settings at start, so a missing or weak key stops start-up with its reason, not the first sign-in.</summary>
internal sealed class SigningKeyRingCheck(DataFolder dataFolder, IHostEnvironment environment, TimeProvider clock) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        try
        {
            _ = SigningKeyRing.Open(options, dataFolder, environment.IsDevelopment(), clock);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException problem)
        {
            return ValidateOptionsResult.Fail(problem.Message);
        }
    }
}
