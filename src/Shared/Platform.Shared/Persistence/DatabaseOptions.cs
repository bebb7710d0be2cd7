namespace Platform.Shared.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite files (one per module); relative paths are taken from the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations when the host starts. On by default in Development only.</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>The data folder as an absolute path; relative settings are taken from <paramref name="contentRoot"/>.</summary>
    public string DataDirectoryPath(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}
