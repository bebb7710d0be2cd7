using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Shared.Persistence;

/// <summary>
/// Whether a module's database has every migration this build knows. It reads the migrations history
/// table with a plain connection and takes the known migrations from the module assembly's attributes,
/// exactly as EF Core does, because asking EF means first building its services for the context: on a
/// current schema, a quarter of a second of start-up spent learning nothing (docs/decisions/0009).
/// A schema found current is remembered for the life of the process: migrations are only ever added,
/// and a newer deployment that migrates further leaves this build's migrations applied.
/// </summary>
public sealed class ModuleSchemaState
{
    private readonly ConcurrentDictionary<Type, bool> current = new();

    /// <summary>The migrations this build has that the database lacks, oldest first; empty when the schema is current.</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(ModuleDatabaseRegistration database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (current.ContainsKey(database.ContextType))
        {
            return [];
        }

        var applied = await AppliedMigrationsAsync(database, cancellationToken);
        var pending = KnownMigrations(database.ConcreteContextType).Where(id => !applied.Contains(id)).ToList();
        if (pending.Count == 0)
        {
            current.TryAdd(database.ContextType, true);
        }

        return pending;
    }

    internal void MarkCurrent(ModuleDatabaseRegistration database) => current.TryAdd(database.ContextType, true);

    /// <summary>The ids of the migrations compiled for this provider's context, in the order EF applies them.</summary>
    internal static IReadOnlyList<string> KnownMigrations(Type concreteContextType) =>
        [.. concreteContextType.Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(Migration))
                && type.GetCustomAttribute<DbContextAttribute>()?.ContextType == concreteContextType)
            .Select(type => type.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    // Its own methods, so a SQLite host never loads the SQL Server client.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static DbConnection SqlServerConnection(string connectionString) => new SqlConnection(connectionString);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsMissingSqlServerDatabase(DbException exception) => exception is SqlException { Number: 4060 };

    private static async Task<HashSet<string>> AppliedMigrationsAsync(ModuleDatabaseRegistration database, CancellationToken cancellationToken)
    {
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        var (connection, exists, read) = sqlite
            ? (SqliteConnectionThatNeverCreates(database.ConnectionString),
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'",
                "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"")
            : (SqlServerConnection(database.ConnectionString),
                $"SELECT COUNT(*) FROM sys.tables WHERE name = '__EFMigrationsHistory' AND schema_id = SCHEMA_ID('{database.Schema}')",
                $"SELECT [MigrationId] FROM [{database.Schema}].[__EFMigrationsHistory]");
        await using (connection)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                await connection.OpenAsync(cancellationToken);
            }
            catch (DbException exception) when (sqlite ? exception is SqliteException { SqliteErrorCode: 14 } : IsMissingSqlServerDatabase(exception))
            {
                return ids; // The database does not exist yet: nothing is applied, and migrating creates it.
            }

            await using var command = connection.CreateCommand();
            command.CommandText = exists;
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return ids;
            }

            command.CommandText = read;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
    }

    /// <summary>Opening must not create an empty file where the migrator would create the database (SQLITE_CANTOPEN instead).</summary>
    internal static SqliteConnection SqliteConnectionThatNeverCreates(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return new SqliteConnection(builder.ToString());
    }

    /// <summary>
    /// WAL lets readers run while one writer commits, and makes <c>synchronous=NORMAL</c> safe. The setting is
    /// stored in the file, but a file restored or copied from elsewhere may come without it.
    /// </summary>
    internal static async Task EnsureWalAsync(ModuleDatabaseRegistration database, CancellationToken cancellationToken)
    {
        await using var connection = SqliteConnectionThatNeverCreates(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        if (await command.ExecuteScalarAsync(cancellationToken) is string mode && !mode.Equals("wal", StringComparison.OrdinalIgnoreCase)
            && !mode.Equals("memory", StringComparison.OrdinalIgnoreCase))
        {
            command.CommandText = "PRAGMA journal_mode=WAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
