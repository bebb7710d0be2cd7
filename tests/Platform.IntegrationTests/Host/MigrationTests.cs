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
