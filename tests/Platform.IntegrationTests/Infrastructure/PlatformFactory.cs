using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Platform.IntegrationTests.Infrastructure;

/// <summary>
/// The real host, on real SQLite files in a temporary folder of its own, with optional settings.
/// Each factory is a fresh platform: a new data folder, migrated at start like a developer's first run.
/// </summary>
public class PlatformFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    public PlatformFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "platform-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    public string Environment { get; init; } = "Development";

    /// <summary>Sets a configuration value for this host, overriding appsettings.</summary>
    public PlatformFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Pooled connections keep the files open; release them before deleting the folder.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
