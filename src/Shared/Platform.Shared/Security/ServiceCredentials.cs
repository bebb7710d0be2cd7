using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Platform.Shared.Security;

/// <summary>
/// Calls between processes carry a service token: a short ES256 token Identity's process issues to a named
/// service (<c>Service:Name</c>, <c>Service:Secret</c>) for one module's internal endpoints (its audience).
/// User tokens and service tokens never pass for each other: their audiences differ, and a service token
/// says so (<see cref="TokenUseClaim"/>).
/// </summary>
public static class ServiceTokens
{
    /// <summary>The authentication scheme of internal endpoints.</summary>
    public const string Scheme = "Service";

    public const string TokenUseClaim = "token_use";
    public const string TokenUse = "service";

    /// <summary>The audience of a module's internal endpoints: a token for one module is refused by another's.</summary>
    public static string AudienceOf(string module) => $"platform-internal:{module.ToLowerInvariant()}";

    /// <summary>What this process offers every service that may call one of its modules: its API document.</summary>
    public const string AnyHostedModulePolicy = "service:any-hosted-module";

    /// <summary>The authorization policy of a module's internal endpoints.</summary>
    public static string PolicyOf(string module) => $"service:{module.ToLowerInvariant()}";

    /// <summary>Where a module's internal endpoints live: outside <c>/api</c>, so no public route ever leads there.</summary>
    public static string RoutePrefixOf(string module) => $"/internal/{module.ToLowerInvariant()}";
}

/// <summary>A module's endpoints for other processes only (service tokens), mapped under <see cref="ServiceTokens.RoutePrefixOf"/>.</summary>
public interface IInternalEndpoints
{
    string Module { get; }

    void Map(RouteGroupBuilder group);
}

/// <summary>This process's own service credential (<c>Service:Name</c>, <c>Service:Secret</c>): what it shows Identity to get service tokens.</summary>
public sealed record ServiceIdentity(string Name, string Secret)
{
    public const int MinimumSecretLength = 32;

    /// <summary>The configured credential, or null when none is set.</summary>
    public static ServiceIdentity? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration["Service:Name"];
        var secret = configuration["Service:Secret"];
        return string.IsNullOrWhiteSpace(name) && string.IsNullOrEmpty(secret) ? null
            : string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(secret) || secret.Length < MinimumSecretLength
                ? throw new InvalidOperationException($"Service:Name and Service:Secret (at least {MinimumSecretLength} random characters) must both be set, or neither.")
                : new ServiceIdentity(name.Trim(), secret);
    }

    public override string ToString() => Name; // never the secret
}
