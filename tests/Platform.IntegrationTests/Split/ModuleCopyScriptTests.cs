using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Persistence;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 16: the SQL Server path of docs/extracting-a-module.md. No SQL Server runs here, so the copy script is
/// checked against what the module's own migrations create: every table, every writable column, counts verified.
/// </summary>
public sealed partial class ModuleCopyScriptTests
{
    [Fact]
    public void The_copy_script_copies_every_table_and_column_the_modules_migrations_create_and_verifies_each_count()
    {
        using var factory = new PlatformFactory()
            .With("Database:Provider", "SqlServer")
            .With("Database:MigrateOnStartup", "false")
            .With("ConnectionStrings:Platform", "Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1");
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var created = CreatedTables(context.GetService<IMigrator>().GenerateScript(), database.Schema);

            var copy = ModuleCopyScript.Generate(context, database.Schema, "Platform");

            created.Should().NotBeEmpty(database.ModuleName);
            foreach (var (table, columns) in created)
            {
                var insert = Regex.Match(copy, $@"INSERT INTO {Regex.Escape(table)} \((?<columns>[^)]*)\) SELECT \k<columns> FROM \[Platform\]\.{Regex.Escape(table)};");
                insert.Success.Should().BeTrue($"{table} of {database.ModuleName} is copied");
                insert.Groups["columns"].Value.Split(", ").Should().BeEquivalentTo(columns, $"every column of {table} is copied");
                copy.Should().Contain($"IF (SELECT COUNT_BIG(*) FROM {table}) <> (SELECT COUNT_BIG(*) FROM [Platform].{table}) THROW");
            }

            Regex.Matches(copy, @"INSERT INTO (\S+)").Select(m => m.Groups[1].Value).Should().BeEquivalentTo(created.Keys, $"no table of {database.ModuleName} that its migrations do not create");
            copy.Should().StartWith("-- Copies schema").And.Contain("BEGIN TRANSACTION;").And.EndWith("counts verified.';" + Environment.NewLine);
            copy.IndexOf("COMMIT TRANSACTION;", StringComparison.Ordinal).Should().BeGreaterThan(copy.LastIndexOf("THROW", StringComparison.Ordinal), "nothing is committed before the counts match");
        }
    }

    [Fact]
    public void Identity_columns_keep_their_values()
    {
        using var factory = new PlatformFactory()
            .With("Database:Provider", "SqlServer").With("Database:MigrateOnStartup", "false")
            .With("ConnectionStrings:Platform", "Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1");
        using var scope = factory.Services.CreateScope();
        var identityTables = 0;
        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var migrations = context.GetService<IMigrator>().GenerateScript();

            var copy = ModuleCopyScript.Generate(context, database.Schema, "Platform");

            var withIdentity = IdentityTables().Matches(migrations).Select(m => m.Groups["table"].Value).Distinct().ToList();
            Regex.Matches(copy, @"SET IDENTITY_INSERT (\S+) ON;").Select(m => m.Groups[1].Value).Should().BeEquivalentTo(withIdentity,
                $"exactly {database.ModuleName}'s identity tables keep their values (IDENTITY_INSERT on any other table fails)");
            Regex.Matches(copy, @"SET IDENTITY_INSERT (\S+) OFF;").Count.Should().Be(withIdentity.Count);
            identityTables += withIdentity.Count;
        }

        identityTables.Should().BePositive("the outbox's sequence, at least, is an identity column");
    }

    [Fact]
    public async Task The_host_prints_the_script_with_the_copy_module_sql_command()
    {
        using var folder = new TempDataFolder();
        Directory.CreateDirectory(folder.Path);

        var result = await ExternalCommand.RunAsync("dotnet", [HostProcess.PlatformHost, "copy-module-sql"], Path.GetDirectoryName(HostProcess.PlatformHost)!,
            TimeSpan.FromSeconds(60), environment =>
            {
                environment["ASPNETCORE_ENVIRONMENT"] = "Development";
                environment["Database__DataDirectory"] = folder.Path;
                environment["Database__Provider"] = "SqlServer";
                environment["Database__MigrateOnStartup"] = "false";
                environment["ConnectionStrings__Platform"] = "Server=127.0.0.1,1;Database=PlatformOrdering;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1";
                environment["Extract__Module"] = "Ordering";
                environment["Extract__SourceDatabase"] = "Platform";
                environment["Extract__Output"] = Path.Combine(folder.Path, "copy-ordering.sql");
            });

        result.ExitCode.Should().Be(0, result.Errors);
        var script = await File.ReadAllTextAsync(Path.Combine(folder.Path, "copy-ordering.sql"));
        script.Should().StartWith("-- Copies schema [ordering] from database [Platform]", "nothing but the script is in the file").And.Contain("INSERT INTO [ordering].[Orders]");
    }

    /// <summary>Each CREATE TABLE of the schema in a migration script, with its columns that are not computed.</summary>
    private static Dictionary<string, List<string>> CreatedTables(string migrations, string schema)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match create in CreateTable().Matches(migrations))
        {
            var table = create.Groups["table"].Value;
            if (!table.StartsWith($"[{schema}].", StringComparison.Ordinal) || table.EndsWith("[__EFMigrationsHistory]", StringComparison.Ordinal))
            {
                continue;
            }

            var columns = ColumnLine().Matches(create.Groups["body"].Value)
                .Where(c => !c.Groups["definition"].Value.StartsWith("AS ", StringComparison.Ordinal) && !c.Groups["definition"].Value.StartsWith("rowversion", StringComparison.Ordinal))
                .Select(c => c.Groups["column"].Value).ToList();
            tables[table] = columns;
        }

        // Later migrations add, drop and rename columns.
        foreach (Match change in AlterTable().Matches(migrations))
        {
            if (tables.TryGetValue(change.Groups["table"].Value, out var columns))
            {
                if (change.Groups["added"].Success && !change.Groups["definition"].Value.StartsWith("AS ", StringComparison.Ordinal))
                {
                    columns.Add(change.Groups["added"].Value);
                }
                else if (change.Groups["dropped"].Success)
                {
                    columns.Remove(change.Groups["dropped"].Value);
                }
            }
        }

        foreach (Match rename in RenameColumn().Matches(migrations))
        {
            if (tables.TryGetValue(rename.Groups["table"].Value, out var columns) && columns.Remove($"[{rename.Groups["old"].Value}]"))
            {
                columns.Add($"[{rename.Groups["new"].Value}]");
            }
        }

        return tables;
    }

    [GeneratedRegex(@"ALTER TABLE (?<table>\[[^\]]+\]\.\[[^\]]+\]) (?:ADD (?<added>\[[^\]]+\]) (?<definition>[^;]*);|DROP COLUMN (?<dropped>\[[^\]]+\]);)")]
    private static partial Regex AlterTable();

    [GeneratedRegex(@"EXEC sp_rename N'(?<table>\[[^\]]+\]\.\[[^\]]+\])\.\[(?<old>[^\]]+)\]', N'(?<new>[^']+)', 'COLUMN';")]
    private static partial Regex RenameColumn();

    [GeneratedRegex(@"CREATE TABLE (?<table>\[[^\]]+\]\.\[[^\]]+\]) \((?<body>.*?)\n\s*\);", RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^\s+(?<column>\[[^\]]+\]) (?<definition>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"CREATE TABLE (?<table>\[[^\]]+\]\.\[[^\]]+\]) \([^;]*?IDENTITY", RegexOptions.Singleline)]
    private static partial Regex IdentityTables();
}
