using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

/// <summary>
/// Creates the administrator from <c>Identity:Admin</c> at start if no account has that email.
/// An existing account is never changed, so rotating the configured password later does not
/// overwrite a password the administrator has since chosen. It runs beside the server's start (its
/// first query builds EF Core's services for Identity, a cold tenth of a second), so the server may
/// answer before it is done: readiness waits for it (<see cref="HealthCheck"/>).
/// </summary>
internal sealed partial class AdminAccountSeeder(
    IServiceScopeFactory scopes,
    ModuleSchemaState schemas,
    IEnumerable<ModuleDatabaseRegistration> databases,
    IOptions<IdentityModuleOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<AdminAccountSeeder> logger) : IHostedService
{
    private Task _work = Task.CompletedTask;
    private volatile bool _done;
    private volatile bool _failed;

    /// <summary>Ends when the seeder has finished, whatever the outcome.</summary>
    internal Task Completion => _work;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _work = Task.Run(() => SeedAsync(lifetime.ApplicationStopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    // Stopping cancels the seeding through ApplicationStopping; the host waits for it at most its shutdown timeout.
    public Task StopAsync(CancellationToken cancellationToken) => _work.WaitAsync(cancellationToken);

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.Admin;
        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            LogNoAdmin();
            _done = true;
            return;
        }

        try
        {
            await EnsureAdminAsync(admin, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // An unreachable database must not stop the host: readiness reports it, the next start seeds.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (exception is AdminEmailTakenException)
            {
                // A configuration mistake the operator must fix: the host stops, as it did when this ran inside start-up.
                LogEmailTaken(exception);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }

            LogFailed(exception);
            _failed = true;
            return;
        }

        _done = true;
    }

    private async Task EnsureAdminAsync(IdentityModuleOptions.AdminAccountOptions admin, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var identity = databases.Single(d => d.ContextType == typeof(IdentityDbContext));
        if ((await schemas.PendingMigrationsAsync(identity, cancellationToken)).Count > 0)
        {
            LogNotMigrated();
            return;
        }

        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var email = EmailAddress.Normalize(admin.Email);
        var existing = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        if (existing is not null)
        {
            // Never silently: whoever registered this address would otherwise keep a customer account while
            // the operator believes an administrator exists, and the configured password means nothing.
            if (!existing.IsInRole(PlatformRoles.Admin))
            {
                throw new AdminEmailTakenException(admin.Email);
            }

            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = User.Create(admin.Email, admin.DisplayName, [PlatformRoles.Admin], clock.GetUtcNow());
        user.SetPasswordHash(scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, admin.Password));
        db.Users.Add(user);
        scope.ServiceProvider.GetRequiredService<IEventPublisher>().Publish(user.ToRegisteredEvent());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<SecurityAudit>().AdminSeeded(user.Id, admin.Email);
        LogCreated(admin.Email);
    }

    /// <summary>Not ready until the seeder has run, so nobody is sent to a host whose administrator is still being created.</summary>
    internal sealed class HealthCheck(AdminAccountSeeder seeder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(
                seeder._done ? HealthCheckResult.Healthy("The administrator account has been ensured.")
                : seeder._failed ? HealthCheckResult.Unhealthy("The administrator account could not be ensured (see the log); the next start tries again.")
                : HealthCheckResult.Unhealthy("The administrator account is still being ensured."));
    }

    /// <summary>The configured administrator e-mail belongs to an account that is not an administrator.</summary>
    internal sealed class AdminEmailTakenException(string email)
        : Exception($"Identity:Admin:Email is {email}, but that address belongs to an account that is not an administrator. " +
            "Configure another address, or give that account the Admin role (PUT /api/identity/users/{{id}}/roles) if it is the operator's.");

    [LoggerMessage(Level = LogLevel.Critical, Message = "The administrator account cannot be created; the host stops.")]
    private partial void LogEmailTaken(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The administrator account could not be ensured; it will be retried at the next start.")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No administrator is configured (Identity:Admin:Email and Identity:Admin:Password); none was created.")]
    private partial void LogNoAdmin();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Identity database is not migrated; the administrator will be created at the next start after 'migrate'.")]
    private partial void LogNotMigrated();

    [LoggerMessage(Level = LogLevel.Information, Message = "Administrator account {Email} created.")]
    private partial void LogCreated(string email);
}
