using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Persistence;

/// <summary>Applies each hosted module's pending migrations to its own database.</summary>
public sealed partial class ModuleMigrator(
    IServiceProvider services,
    IEnumerable<ModuleDatabaseRegistration> databases,
    ModuleSchemaState schemas,
    ILogger<ModuleMigrator> logger)
{
    /// <summary>
    /// SQLite modules are independent files, so they are checked and migrated side by side. On SQL Server
    /// modules often share one database, which the first migration may have to create: one at a time.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (databases.All(d => d.Provider == DatabaseProvider.Sqlite))
        {
            await Task.WhenAll(databases.Select(database => Task.Run(() => MigrateAsync(database, cancellationToken), cancellationToken)));
            return;
        }

        foreach (var database in databases)
        {
            await MigrateAsync(database, cancellationToken);
        }
    }

    private async Task MigrateAsync(ModuleDatabaseRegistration database, CancellationToken cancellationToken)
    {
        // Asking first is cheap; Migrate itself builds EF's services, takes the migration lock and
        // compares the model with the last snapshot: on a current schema, start-up time spent learning nothing.
        var pending = await schemas.PendingMigrationsAsync(database, cancellationToken);
        if (pending.Count == 0)
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await ModuleSchemaState.EnsureWalAsync(database, cancellationToken);
            }

            LogCurrent(database.ModuleName);
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetDbContext(database.ContextType);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            PrepareSqliteFile(db);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        schemas.MarkCurrent(database);
        LogMigrated(database.ModuleName, pending.Count, string.Join(", ", pending));
    }

    private static void PrepareSqliteFile(DbContext db)
    {
        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {Module}: schema up to date")]
    private partial void LogCurrent(string module);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {Module}: {Count} migration(s) applied ({Migrations})")]
    private partial void LogMigrated(string module, int count, string migrations);
}
