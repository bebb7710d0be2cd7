using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Persistence;

/// <summary>Applies each hosted module's pending migrations to its own database.</summary>
public sealed partial class ModuleMigrator(
    IServiceProvider services,
    IEnumerable<ModuleDatabaseRegistration> databases,
    ILogger<ModuleMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        foreach (var database in databases)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetDbContext(database.ContextType);

            if (database.Provider == DatabaseProvider.Sqlite)
            {
                PrepareSqliteFile(db);
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(database.ModuleName, pending.Count, pending.Count == 0 ? "-" : string.Join(", ", pending));

            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers run while one writer commits; the setting is stored in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {Module}: {Count} migration(s) applied ({Migrations})")]
    private partial void LogMigrated(string module, int count, string migrations);
}
