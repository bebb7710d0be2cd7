using Microsoft.Data.Sqlite;

namespace Platform.Testing;

/// <summary>A data folder of a test's own, deleted afterwards (pooled SQLite connections released first).</summary>
public sealed class TempDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "platform-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A killed child process may still be releasing its files; the temp folder is cleaned by the OS later.
        }
    }
}
