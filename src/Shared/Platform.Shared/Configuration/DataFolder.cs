using Microsoft.Extensions.Configuration;

namespace Platform.Shared.Configuration;

/// <summary>
/// The folder where this process keeps local state: SQLite files, development keys. Set by
/// <c>Database:DataDirectory</c>; a relative path is taken from the content root.
/// </summary>
public sealed record DataFolder(string Path)
{
    public const string Key = "Database:DataDirectory";

    public static DataFolder From(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[Key];
        return new DataFolder(System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, contentRoot));
    }

    /// <summary>A file in the folder, creating the folder when it does not exist yet.</summary>
    public string File(string name)
    {
        Directory.CreateDirectory(Path);
        return System.IO.Path.Combine(Path, name);
    }
}
