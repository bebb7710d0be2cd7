using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;

namespace Platform.Shared.Persistence;

/// <summary>
/// The T-SQL that moves one module's data out of the shared SQL Server database into a database of its own
/// (docs/extracting-a-module.md): run it in the new database, after <c>migrate</c> created the module's schema
/// there and while nothing writes to the module. It copies every table of the schema as the module's model
/// maps it (identity values kept, constraints checked again at the end), checks each table's count against
/// the source, and commits only if all match.
/// </summary>
public static class ModuleCopyScript
{
    public static string Generate(DbContext context, string schema, string sourceDatabase)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tables = context.Model.GetRelationalModel().Tables
            .Where(t => string.Equals(t.Schema, schema, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        if (tables.Count == 0)
        {
            throw new InvalidOperationException($"The model maps no table to schema '{schema}': is the database provider SqlServer?");
        }

        var source = Quote(sourceDatabase);
        var script = new StringBuilder()
            .AppendLine($"-- Copies schema [{schema}] from database {source} into this database ({tables.Count} tables).")
            .AppendLine("-- Run in the module's new database, after `migrate` created the schema here, with writes to the module stopped.")
            .AppendLine("SET QUOTED_IDENTIFIER ON;") // filtered indexes refuse inserts without it (sqlcmd's default is OFF)
            .AppendLine("SET XACT_ABORT ON;")
            .AppendLine("BEGIN TRANSACTION;");
        foreach (var table in tables)
        {
            script.AppendLine($"ALTER TABLE {Name(table)} NOCHECK CONSTRAINT ALL;");
        }

        foreach (var table in tables)
        {
            // Store-generated columns that cannot be written (rowversion, computed) are left to the database.
            var columns = table.Columns.Where(c => c.ComputedColumnSql is null && c.StoreType != "rowversion").Select(c => Quote(c.Name)).ToList();
            var identity = table.Columns.Any(c => c.PropertyMappings.Any(m =>
                m.Property.FindAnnotation("SqlServer:ValueGenerationStrategy")?.Value?.ToString() == "IdentityColumn"));
            var list = string.Join(", ", columns);
            if (identity)
            {
                script.AppendLine($"SET IDENTITY_INSERT {Name(table)} ON;");
            }

            script.AppendLine($"INSERT INTO {Name(table)} ({list}) SELECT {list} FROM {source}.{Name(table)};");
            if (identity)
            {
                script.AppendLine($"SET IDENTITY_INSERT {Name(table)} OFF;");
            }
        }

        foreach (var table in tables)
        {
            script.AppendLine($"ALTER TABLE {Name(table)} WITH CHECK CHECK CONSTRAINT ALL;");
        }

        foreach (var table in tables)
        {
            script.AppendLine($"IF (SELECT COUNT_BIG(*) FROM {Name(table)}) <> (SELECT COUNT_BIG(*) FROM {source}.{Name(table)}) " +
                $"THROW 50000, 'The copy of {schema}.{table.Name.Replace("'", "''", StringComparison.Ordinal)} does not have the source''s row count; nothing was committed.', 1;");
        }

        return script.AppendLine("COMMIT TRANSACTION;")
            .AppendLine($"PRINT 'Schema [{schema}] copied from {source.Replace("'", "''", StringComparison.Ordinal)}: {tables.Count} tables, counts verified.';")
            .ToString();
    }

    private static string Name(ITable table) => $"{Quote(table.Schema!)}.{Quote(table.Name)}";

    private static string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";
}

/// <summary>
/// <c>copy-module-sql</c>: writes <see cref="ModuleCopyScript"/> for <c>Extract:Module</c> from the database
/// <c>Extract:SourceDatabase</c> to the file <c>Extract:Output</c> (never stdout, where log lines go too).
/// Needs <c>Database:Provider=SqlServer</c>; contacts no server.
/// </summary>
internal sealed class CopyModuleSqlCommand(IConfiguration configuration) : IModuleCommand
{
    public string Name => "copy-module-sql";

    public string Description => "writes the T-SQL that copies one module's schema from the shared database into its own (Extract:Module, Extract:SourceDatabase, Extract:Output)";

    public bool NeedsValidSettings => false;

    public async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var module = configuration["Extract:Module"];
        var sourceDatabase = configuration["Extract:SourceDatabase"];
        var output = configuration["Extract:Output"];
        var database = services.GetServices<ModuleDatabaseRegistration>()
            .FirstOrDefault(d => string.Equals(d.ModuleName, module, StringComparison.OrdinalIgnoreCase));
        if (database is null || string.IsNullOrWhiteSpace(sourceDatabase) || string.IsNullOrWhiteSpace(output) || database.Provider != DatabaseProvider.SqlServer)
        {
            await Console.Error.WriteLineAsync("Set Extract:Module (a module hosted here, with a database), Extract:SourceDatabase (the shared database's name), Extract:Output (the script file to write) and Database:Provider=SqlServer.");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
        await File.WriteAllTextAsync(output, ModuleCopyScript.Generate(context, database.Schema, sourceDatabase), cancellationToken);
        await Console.Error.WriteLineAsync($"Wrote {output}: run it in {database.ModuleName}'s new database (sqlcmd -I -b -i {output}).");
        return 0;
    }
}
