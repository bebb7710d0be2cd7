using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.IntegrationTests.Host;

/// <summary>
/// SQL Server cannot run here, so its migrations are kept honest by generating their scripts:
/// no server is needed for that, and the scripts are what a DBA would run.
/// </summary>
public sealed class SqlServerMigrationTests
{
    public static TheoryData<string> Providers => new() { "Sqlite", "SqlServer" };

    [Fact]
    public void Every_modules_idempotent_sql_server_script_is_schema_qualified()
    {
        using var factory = SqlServerHost();
        using var scope = factory.Services.CreateScope();
        var databases = scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>().ToList();
        databases.Should().NotBeEmpty();

        foreach (var database in databases)
        {
            var schema = ModuleNaming.Schema(database.ModuleName);
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

            script.Should().Contain($"CREATE SCHEMA [{schema}]", database.ModuleName);
            script.Should().Contain($"[{schema}].[__EFMigrationsHistory]", "each module keeps its own migrations history");
            script.Should().Contain("IF NOT EXISTS", "the script must be safe to run twice");
            var tables = Regex.Matches(script, @"CREATE TABLE (\S+)").Select(m => m.Groups[1].Value).ToList();
            tables.Should().NotBeEmpty().And.OnlyContain(table => table.StartsWith($"[{schema}].", StringComparison.Ordinal),
                $"every table of {database.ModuleName} lives in schema {schema}");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_start_up_schema_check_knows_the_migrations_ef_core_knows(string provider)
    {
        using var factory = provider == "SqlServer" ? SqlServerHost() : new PlatformFactory().With("Database:MigrateOnStartup", "false");
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            ModuleSchemaState.KnownMigrations(database.ConcreteContextType).Should()
                .Equal(context.GetService<IMigrationsAssembly>().Migrations.Keys, database.ModuleName);
            if (provider == "Sqlite")
            {
                (await new ModuleSchemaState().PendingMigrationsAsync(database, CancellationToken.None)).Should()
                    .Equal(await context.Database.GetPendingMigrationsAsync(), "an unmigrated database lacks every migration");

                // Part-way: every migration but the last applied.
                var known = ModuleSchemaState.KnownMigrations(database.ConcreteContextType);
                if (known.Count > 1)
                {
                    await context.GetService<IMigrator>().MigrateAsync(known[^2]);
                    var pending = await new ModuleSchemaState().PendingMigrationsAsync(database, CancellationToken.None);
                    pending.Should().Equal(await context.Database.GetPendingMigrationsAsync()).And.Equal(known[^1]);
                }

                await context.Database.MigrateAsync();
                (await new ModuleSchemaState().PendingMigrationsAsync(database, CancellationToken.None)).Should().BeEmpty();
            }
        }
    }

    [Fact]
    public void Sql_server_product_search_runs_on_a_full_text_index_created_outside_a_transaction()
    {
        using var factory = SqlServerHost();
        using var scope = factory.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<Platform.Modules.Catalog.Persistence.CatalogDbContext>();

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var search = context.MatchProducts(Platform.Modules.Catalog.Persistence.Search.ProductSearchTerms.Parse("x-200 kettle")).ToQueryString();

        script.Should().Contain("CREATE FULLTEXT CATALOG [catalog_search] WITH ACCENT_SENSITIVITY = OFF")
            .And.Contain("CREATE FULLTEXT INDEX ON [catalog].[Products] ([Name], [Sku], [Description]) KEY INDEX [PK_Products] ON [catalog_search] WITH CHANGE_TRACKING AUTO, STOPLIST = OFF")
            .And.Contain("IF NOT EXISTS (SELECT 1 FROM sys.fulltext_indexes", "a re-run after a crash between the two statements must not fail");
        var fullText = script[..script.IndexOf("CREATE FULLTEXT INDEX", StringComparison.Ordinal)];
        fullText[fullText.LastIndexOf("ProductSearch", StringComparison.Ordinal)..].Should().NotContain("BEGIN TRANSACTION",
            "SQL Server refuses full-text DDL inside a user transaction");
        search.Should().Contain("CONTAINSTABLE([catalog].[Products], ([Name], [Sku], [Description]), @p0)")
            .And.Contain("\"x-200*\" AND \"kettle*\"");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void No_module_has_model_changes_without_a_migration(string provider)
    {
        using var factory = provider == "SqlServer" ? SqlServerHost() : new PlatformFactory().With("Database:MigrateOnStartup", "false");
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            context.Database.HasPendingModelChanges().Should().BeFalse(
                $"{database.ModuleName} changed its model for {provider}: run scripts/add-migration.sh {database.ModuleName} <Name>");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_module_runs_on_a_compiled_model_that_matches_its_code(string provider)
    {
        using var factory = provider == "SqlServer" ? SqlServerHost() : new PlatformFactory().With("Database:MigrateOnStartup", "false");
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var fix = $"run scripts/compile-models.sh {database.ModuleName}";
            context.Model.GetType().Namespace.Should().Be($"{context.GetType().Namespace}.CompiledModels.{provider}",
                $"{database.ModuleName} starts from its compiled model for {provider} ({fix})");
            var compiled = Fingerprint(context.Model);
            var code = Fingerprint(context.GetService<IDesignTimeModel>().Model);
            compiled.Except(code).Concat(code.Except(compiled).Select(line => "missing: " + line)).Should().BeEmpty(
                $"{database.ModuleName}'s compiled model for {provider} must describe the model its code builds ({fix})");
            compiled.Should().HaveSameCount(code);
        }
    }

    /// <summary>Tables, columns, keys, indexes and foreign keys as the database sees them, one line each.</summary>
    private static List<string> Fingerprint(IModel model)
    {
        var lines = new List<string>();
        foreach (var table in model.GetRelationalModel().Tables)
        {
            var name = $"{table.Schema}.{table.Name}";
            lines.AddRange(table.Columns.Select(c => $"{name} column {c.Name} {c.StoreType} null={c.IsNullable} type={c.ProviderClrType.Name}"));
            lines.AddRange(table.UniqueConstraints.Select(k => $"{name} key {k.Name} ({string.Join(',', k.Columns.Select(c => c.Name))})"));
            lines.AddRange(table.Indexes.Select(i => $"{name} index {i.Name} unique={i.IsUnique} ({string.Join(',', i.Columns.Select(c => c.Name))}) filter={i.Filter}"));
            lines.AddRange(table.ForeignKeyConstraints.Select(f => $"{name} fk {f.Name} -> {f.PrincipalTable.Name} {f.OnDeleteAction}"));
        }

        foreach (var entity in model.GetEntityTypes())
        {
            lines.AddRange(entity.GetProperties().Select(p => $"{entity.Name}.{p.Name} {p.ClrType.Name} concurrency={p.IsConcurrencyToken} generated={p.ValueGenerated}"));
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void A_module_stores_only_its_own_entities_in_its_own_schema()
    {
        using var factory = SqlServerHost();
        using var scope = factory.Services.CreateScope();
        var modules = scope.ServiceProvider.GetRequiredService<ModuleRegistry>();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var module = modules.Find(database.ModuleName)!;
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            foreach (var entity in context.Model.GetEntityTypes())
            {
                entity.GetSchema().Should().Be(ModuleNaming.Schema(module.Name), entity.Name);
                new[] { module.GetType().Assembly, typeof(ModuleDbContext).Assembly }
                    .Should().Contain(entity.ClrType.Assembly, $"{entity.Name} in {module.Name}'s database must belong to {module.Name}");
            }
        }
    }

    [Fact]
    public void Sql_server_claims_skip_rows_other_instances_hold_and_stay_in_the_module_schema()
    {
        using var factory = SqlServerHost();
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var schema = ModuleNaming.Schema(database.ModuleName);
            var outbox = Platform.Shared.Messaging.MessageStore.ClaimOutboxSql(context);
            var inbox = Platform.Shared.Messaging.MessageStore.ClaimInboxSql(context);

            outbox.Should().Contain($"[{schema}].[OutboxMessages]").And.Contain("UPDLOCK, READPAST, ROWLOCK").And.Contain("OUTPUT inserted.*")
                .And.Contain("ORDER BY [Sequence]").And.Contain("[Destination] = {4}");
            inbox.Should().Contain($"[{schema}].[InboxMessages]").And.Contain("READPAST").And.Contain("ORDER BY [DueAt]");
            foreach (var claim in new[] { outbox, inbox })
            {
                claim.Should().Contain("[ClaimToken] = {1}", "every claim stamps a fresh token that later writes must present")
                    .And.Contain("[Attempts] = [Attempts] + 1", "an attempt counts when it is claimed, so a crash still counts")
                    .And.Contain("[Attempts] < {3}");
            }
        }
    }

    [Fact]
    public void Sql_server_writes_after_a_claim_are_fenced_by_its_token_and_a_first_delivery_takes_the_inbox_key_first()
    {
        using var factory = SqlServerHost();
        using var scope = factory.Services.CreateScope();

        foreach (var database in scope.ServiceProvider.GetServices<ModuleDatabaseRegistration>())
        {
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
            var schema = ModuleNaming.Schema(database.ModuleName);

            var outbox = Platform.Shared.Messaging.MessageStore.HeldOutbox(context, Guid.NewGuid(), [1, 2]).ToQueryString();
            var inbox = Platform.Shared.Messaging.MessageStore.HeldInbox(context, Guid.NewGuid(), "handler", Guid.NewGuid()).ToQueryString();
            var insert = Platform.Shared.Messaging.MessageStore.InsertInboxSql(context);

            outbox.Should().Contain("[o].[ClaimToken] = @").And.Contain("[o].[ProcessedAt] IS NULL", "complete, fail and release change only rows this claim still holds");
            inbox.Should().Contain("[i].[ClaimToken] = @").And.Contain("[i].[ProcessedAt] IS NULL").And.Contain("[i].[DeadLetteredAt] IS NULL",
                "a retry re-checks, inside its transaction, that the row still waits and is still its own");
            insert.Should().StartWith($"INSERT INTO [{schema}].[InboxMessages] ([MessageId], [Handler]",
                "the key insert holds the (message, handler) key until commit, so a concurrent second delivery waits and then finds it");
        }
    }

    private static PlatformFactory SqlServerHost() => new PlatformFactory()
        .With("Database:Provider", "SqlServer")
        .With("Database:MigrateOnStartup", "false")
        // Never contacted: scripts and models are built without a server.
        .With("ConnectionStrings:Platform", "Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1");
}
