using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.Shared.Persistence;

/// <summary>
/// How a module stores its data: one DbContext the module codes against, and one subclass per
/// provider that carries that provider's migrations. Both live in the module, so the migrations
/// leave with it when it is extracted.
/// </summary>
public abstract class ModuleDatabase
{
    /// <summary>The context type the module's handlers use.</summary>
    public abstract Type ContextType { get; }

    public static ModuleDatabase For<TContext, TSqliteContext, TSqlServerContext>()
        where TContext : ModuleDbContext
        where TSqliteContext : TContext
        where TSqlServerContext : TContext =>
        new ModuleDatabase<TContext, TSqliteContext, TSqlServerContext>();

    internal abstract void Register(IServiceCollection services, string moduleName, DatabaseOptions options, IConfiguration configuration, string contentRoot, ModuleSignals signals);

    internal static string ResolveSqliteConnectionString(string moduleName, DatabaseOptions options, IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString(moduleName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var directory = options.DataDirectoryPath(contentRoot);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, ModuleNaming.Schema(moduleName) + ".db"),
        }.ToString();
    }

    internal static string ResolveSqlServerConnectionString(string moduleName, IConfiguration configuration) =>
        configuration.GetConnectionString(moduleName) is { Length: > 0 } own ? own
        : configuration.GetConnectionString("Platform") is { Length: > 0 } shared ? shared
        : throw new InvalidOperationException(
            $"Database:Provider is SqlServer but neither ConnectionStrings:{moduleName} nor ConnectionStrings:Platform is set.");
}

internal sealed class ModuleDatabase<TContext, TSqliteContext, TSqlServerContext> : ModuleDatabase
    where TContext : ModuleDbContext
    where TSqliteContext : TContext
    where TSqlServerContext : TContext
{
    public override Type ContextType => typeof(TContext);

    internal override void Register(IServiceCollection services, string moduleName, DatabaseOptions options, IConfiguration configuration, string contentRoot, ModuleSignals signals)
    {
        var schema = ModuleNaming.Schema(moduleName);
        var outboxSignal = new OutboxCommitInterceptor(moduleName, signals);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = ResolveSqliteConnectionString(moduleName, options, configuration, contentRoot);
                services.AddDbContext<TSqliteContext>(db => db
                    .UseSqlite(sqlite)
                    .AddInterceptors(outboxSignal, SqliteConnectionSettings.Instance)
                    // SQLite has no schemas: the module's file is its schema, so the warning is noise.
                    .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.SqliteEventId.SchemaConfiguredWarning)));
                services.AddScoped<TContext>(sp => sp.GetRequiredService<TSqliteContext>());
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = ResolveSqlServerConnectionString(moduleName, configuration);
                services.AddDbContext<TSqlServerContext>(db => db
                    .UseSqlServer(sqlServer, sql => sql.MigrationsHistoryTable("__EFMigrationsHistory", schema))
                    .AddInterceptors(outboxSignal));
                services.AddScoped<TContext>(sp => sp.GetRequiredService<TSqlServerContext>());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        services.AddSingleton(new ModuleDatabaseRegistration(moduleName, typeof(TContext), options.Provider));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name: $"{schema}-database",
            factory: sp => new ModuleDatabaseHealthCheck(sp, typeof(TContext)),
            failureStatus: HealthStatus.Unhealthy,
            tags: [HealthTags.Ready, schema]));
    }
}

/// <summary>Records a module's database so the migrator, health checks and tests can find every one.</summary>
public sealed record ModuleDatabaseRegistration(string ModuleName, Type ContextType, DatabaseProvider Provider);
