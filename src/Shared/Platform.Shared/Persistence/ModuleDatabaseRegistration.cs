using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Shared.Configuration;
using Platform.Shared.Modules;

namespace Platform.Shared.Persistence;

/// <summary>Records a module's database so the migrator, health checks and tests can find every one.</summary>
/// <param name="ContextType">The type the module's handlers use.</param>
/// <param name="ConcreteContextType">The provider's subclass, which carries that provider's migrations.</param>
public sealed record ModuleDatabaseRegistration(string ModuleName, Type ContextType, Type ConcreteContextType, DatabaseProvider Provider)
{
    public string Schema => ModuleNaming.Schema(ModuleName);

    /// <summary>Shared plumbing only: a module reaches its own database through its DbContext, never another's.</summary>
    internal string ConnectionString { get; init; } = string.Empty;

    // The connection string may hold a password: never print it.
    public override string ToString() => $"{ModuleName} database ({Provider})";
}

public static class ModuleDatabaseRegistrationExtensions
{
    private static readonly MethodInfo RegisterMethod =
        typeof(ModuleDatabaseRegistrationExtensions).GetMethod(nameof(Register), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// Registers the module's provider-specific DbContext (pooled) under the type its handlers use,
    /// its readiness check, and whatever the registered <see cref="IModuleDbContextConfigurator"/>s add.
    /// </summary>
    public static IServiceCollection AddModuleDatabase(
        this IServiceCollection services, string moduleName, ModuleDatabase database, DatabaseOptions options, IConfiguration configuration, DataFolder dataFolder)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        if (!typeof(ModuleDbContext).IsAssignableFrom(database.ContextType))
        {
            throw new InvalidOperationException($"{moduleName}'s {database.ContextType.Name} must derive from ModuleDbContext.");
        }

        var concrete = options.Provider switch
        {
            DatabaseProvider.Sqlite => database.SqliteContextType,
            DatabaseProvider.SqlServer => database.SqlServerContextType,
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'."),
        };
        var connectionString = options.Provider == DatabaseProvider.Sqlite
            ? ResolveSqliteConnectionString(moduleName, configuration, dataFolder)
            : ResolveSqlServerConnectionString(moduleName, configuration);
        RegisterMethod.MakeGenericMethod(database.ContextType, concrete)
            .Invoke(null, [services, moduleName, options, connectionString]);

        var schema = ModuleNaming.Schema(moduleName);
        var registration = new ModuleDatabaseRegistration(moduleName, database.ContextType, concrete, options.Provider) { ConnectionString = connectionString };
        services.AddSingleton(registration);
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name: $"{schema}-database",
            factory: sp => new ModuleDatabaseHealthCheck(sp, registration),
            failureStatus: HealthStatus.Unhealthy,
            tags: [HealthTags.Ready, schema]));
        return services;
    }

    private static void Register<TContext, TConcrete>(IServiceCollection services, string moduleName, DatabaseOptions options, string connectionString)
        where TContext : ModuleDbContext
        where TConcrete : TContext
    {
        var schema = ModuleNaming.Schema(moduleName);
        var provider = options.Provider;
        var sqliteSettings = new SqliteConnectionSettings(options.SqliteSynchronous);
        services.AddDbContextPool<TConcrete>((sp, db) =>
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                db.UseSqlite(connectionString)
                    .AddInterceptors(sqliteSettings)
                    // SQLite has no schemas: the module's file is its schema, so the warning is noise.
                    .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.SqliteEventId.SchemaConfiguredWarning));
            }
            else
            {
                UseSqlServer(db, connectionString, schema);
            }

            foreach (var configurator in sp.GetServices<IModuleDbContextConfigurator>())
            {
                configurator.Configure(moduleName, provider, db);
            }
        });
        services.AddScoped<TContext>(sp => sp.GetRequiredService<TConcrete>());
    }

    // Its own method, so a SQLite host never loads the SQL Server provider's assemblies.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseSqlServer(DbContextOptionsBuilder db, string connectionString, string schema) =>
        db.UseSqlServer(connectionString, sql => sql.MigrationsHistoryTable("__EFMigrationsHistory", schema));

    internal static string ResolveSqliteConnectionString(string moduleName, IConfiguration configuration, DataFolder dataFolder)
    {
        var configured = configuration.GetConnectionString(moduleName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataFolder.Path, ModuleNaming.Schema(moduleName) + ".db"),
        }.ToString();
    }

    internal static string ResolveSqlServerConnectionString(string moduleName, IConfiguration configuration) =>
        configuration.GetConnectionString(moduleName) is { Length: > 0 } own ? own
        : configuration.GetConnectionString("Platform") is { Length: > 0 } shared ? shared
        : throw new InvalidOperationException(
            $"Database:Provider is SqlServer but neither ConnectionStrings:{moduleName} nor ConnectionStrings:Platform is set.");
}
