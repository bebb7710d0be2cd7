using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Identity.Persistence;

internal abstract class IdentityDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    protected override string Schema => "identity";
}

internal sealed class SqliteIdentityDbContext(DbContextOptions<SqliteIdentityDbContext> options) : IdentityDbContext(options);

internal sealed class SqlServerIdentityDbContext(DbContextOptions<SqlServerIdentityDbContext> options) : IdentityDbContext(options);
