using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

/// <summary>
/// The operator's way back in when the administrator's password is forgotten: run the host once with
/// <c>reset-admin-password</c> and <c>Identity:Admin:Email</c> / <c>Identity:Admin:Password</c> set to the
/// administrator's address and a new, very strong password. Every session of that account ends. The
/// configured password is used for nothing else: a normal start never changes an existing account.
/// </summary>
internal sealed partial class ResetAdminPassword(IOptions<IdentityModuleOptions> options, ILogger<ResetAdminPassword> logger) : IModuleCommand
{
    public string Name => "reset-admin-password";

    public string Description => "Sets the password of the administrator named by Identity:Admin:Email to Identity:Admin:Password, and ends its sessions.";

    public async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var admin = options.Value.Admin;
        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            LogRefused("Identity:Admin:Email and Identity:Admin:Password must name the administrator and the new password.");
            return 2;
        }

        if (PasswordStrength.Problem(admin.Password, PasswordStrength.AdminMinimumScore, admin.Email) is { } weak)
        {
            LogRefused("Identity:Admin:Password is not strong enough for an administrator. " + weak);
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        using var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>().Enter("Identity");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var email = EmailAddress.Normalize(admin.Email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        if (user is null || !user.IsInRole(PlatformRoles.Admin))
        {
            LogRefused($"No administrator has the address {admin.Email}.");
            return 1;
        }

        user.SetPasswordHash(scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, admin.Password));
        user.RotateSecurityStamp();
        user.Unlock();
        await scope.ServiceProvider.GetRequiredService<Sessions>().EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<UnitOfWork>().Committed();
        scope.ServiceProvider.GetRequiredService<SecurityAudit>().PasswordChanged(user.Id, "reset by the operator");
        LogReset(admin.Email);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "reset-admin-password refused: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The password of administrator {Email} was reset and every session of it ended.")]
    private partial void LogReset(string email);
}
