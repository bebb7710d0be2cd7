namespace Platform.Shared.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>SQLite's <c>synchronous</c> setting for ordinary commits (WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Commits survive a process crash; a power loss can take the last ones back. Messaging stays safe:
    /// what depends on a commit waits for a shared sync of its file (docs/messaging.md). The default.
    /// </summary>
    Normal,

    /// <summary>Every commit is on disk when it returns: a 2xx survives a power loss. About one fsync more per commit.</summary>
    Full,
}

/// <summary>The <c>Database</c> configuration section. The data folder itself is <see cref="Configuration.DataFolder"/>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite files (one per module); relative paths are taken from the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations when the host starts. On by default in Development only.</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>
    /// How durable an ordinary SQLite commit is when it returns. Event handlers always commit with
    /// Normal; whatever relies on a commit waits for a sync of its file first (docs/messaging.md).
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>
    /// How long a write waits for its turn on a module's SQLite file before it gives up (a command gets a 503).
    /// As long as SQLite itself would have waited: Microsoft.Data.Sqlite's default command timeout.
    /// </summary>
    public TimeSpan WriteWaitLimit { get; set; } = SqliteWriteGate.DefaultWaitLimit;
}
