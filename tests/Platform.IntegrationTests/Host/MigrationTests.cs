using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Platform.Testing;

namespace Platform.IntegrationTests.Host;

public sealed class MigrationTests
{
    [Fact]
    public async Task A_first_start_on_an_empty_data_folder_creates_one_migrated_database_per_module()
    {
        using var factory = new PlatformFactory();
        Directory.Exists(factory.DataDirectory).Should().BeFalse();

        var ready = await factory.CreateClient().GetAsync("/health/ready");

        ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var catalogDb = Path.Combine(factory.DataDirectory, "catalog.db");
        File.Exists(catalogDb).Should().BeTrue();
        await using var connection = new SqliteConnection($"Data Source={catalogDb};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
        ((long)(await command.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task After_every_migration_the_product_search_index_and_its_triggers_exist_and_hold_every_product()
    {
        // A later migration that rebuilds Products (SQLite copies a table to alter it) drops its triggers.
        using var factory = new PlatformFactory();
        var client = await factory.CreateAdminClientAsync();
        await client.CreateAsync();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "catalog.db")};Mode=ReadOnly");
        await connection.OpenAsync();

        async Task<object?> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }

        foreach (var trigger in new[] { "Products_search_insert", "Products_search_update", "Products_search_delete" })
        {
            ((long)(await Scalar($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = '{trigger}' AND tbl_name = 'Products'"))!)
                .Should().Be(1, $"trigger {trigger} keeps the search index current; recreate it with ProductSearchSchema.CreateSqliteTriggers");
        }

        var products = (long)(await Scalar("SELECT COUNT(*) FROM Products"))!;
        ((long)(await Scalar("SELECT COUNT(*) FROM ProductSearch"))!).Should().Be(products);
        ((long)(await Scalar("SELECT COUNT(*) FROM Products p JOIN ProductSearchKeys k ON k.ProductId = p.Id JOIN ProductSearch s ON s.rowid = k.RowId"))!).Should().Be(products);
    }

    [Fact]
    public async Task Without_migrate_on_startup_the_host_runs_but_reports_not_ready_until_migrated()
    {
        using var factory = PlatformFactory.Production();

        var client = factory.CreateClient();
        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateArray().ToList();
        var databases = checks.Where(c => c.GetProperty("name").GetString()!.EndsWith("-database", StringComparison.Ordinal)).ToList();
        databases.Select(c => c.GetProperty("name").GetString()).Should().Contain(["catalog-database", "identity-database"]);
        databases.Should().OnlyContain(c => c.GetProperty("description").GetString()!.Contains("migrate"));
    }
}
