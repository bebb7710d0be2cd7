using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Shared.Persistence;

/// <summary>Ready means the module's database answers and its schema is up to date.</summary>
internal sealed class ModuleDatabaseHealthCheck(IServiceProvider services, ModuleDatabaseRegistration database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(database.ContextType);
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached or does not exist yet; check the connection, or run the host with 'migrate'.");
            }

            var pending = (await services.GetRequiredService<ModuleSchemaState>().PendingMigrationsAsync(database, cancellationToken)).Count;
            return pending == 0
                ? HealthCheckResult.Healthy("Reachable; schema up to date.")
                : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied; run the host with 'migrate'.");
        }
#pragma warning disable CA1031 // A health check reports any failure instead of throwing.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The database check failed: " + exception.GetType().Name);
        }
    }
}
