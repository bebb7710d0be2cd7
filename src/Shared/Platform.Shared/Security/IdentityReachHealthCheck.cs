using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Shared.Security;

/// <summary>
/// Readiness of a process without Identity: can it check tokens and sessions? Unhealthy when Identity
/// refuses its service credential (a misconfiguration that makes it refuse every user); degraded while
/// Identity cannot be reached (sessions are then trusted as last answered, and keys as last fetched).
/// </summary>
internal sealed class IdentityReachHealthCheck(ServiceTokenClient identity, RemoteSigningKeys keys, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["keysFetchedSecondsAgo"] = keys.FetchedSuccessfullyAt is { } at ? Math.Round((clock.GetUtcNow() - at).TotalSeconds) : -1,
        };
        try
        {
            await identity.TokenForAsync("Identity", cancellationToken);
            return HealthCheckResult.Healthy($"Identity at {identity.IdentityUrl} accepts this process's service credential.", data);
        }
        catch (HttpRequestException refused) when (refused.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            return HealthCheckResult.Unhealthy(
                "Identity refuses this process's service credential: Service:Name and Service:Secret must match an Identity:Services entry allowed to call Identity.", data: data);
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"Identity at {identity.IdentityUrl} cannot be reached: sessions are trusted as last answered.", data: data);
        }
    }
}
