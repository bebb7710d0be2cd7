using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Platform.Shared.Persistence;

/// <summary>
/// Which provider a context runs on, by the provider's name. EF Core's own <c>IsSqlServer()</c> and <c>IsSqlite()</c>
/// live in the provider assemblies, so calling one loads that provider even where the other one runs (the SQL Server
/// provider in every SQLite process, and its types, for nothing).
/// </summary>
public static class DatabaseProviderChecks
{
    private const string SqlServer = "Microsoft.EntityFrameworkCore.SqlServer";
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";

    public static bool RunsOnSqlServer(this DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.Equals(database.ProviderName, SqlServer, StringComparison.Ordinal);
    }

    public static bool RunsOnSqlite(this DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.Equals(database.ProviderName, Sqlite, StringComparison.Ordinal);
    }
}
