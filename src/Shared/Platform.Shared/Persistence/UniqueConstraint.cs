using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

public static class UniqueConstraint
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>True when a save failed because a unique index or key already holds the value.</summary>
    public static bool IsViolation(DbUpdateException exception) => IsViolation((Exception?)exception);

    /// <summary>The same for a raw statement, whose provider exception is not wrapped by EF.</summary>
    public static bool IsViolation(Exception? exception) => exception switch
    {
        null => false,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ when IsSqlClientException(exception) => IsSqlServerViolation(exception),
        _ => IsViolation(exception.InnerException),
    };

    // By name first, so that a SQLite process never loads Microsoft.Data.SqlClient to rule out its exception type.
    private static bool IsSqlClientException(Exception exception) =>
        exception.GetType().FullName == "Microsoft.Data.SqlClient.SqlException";

    private static bool IsSqlServerViolation(Exception exception) => exception is SqlException { Number: 2601 or 2627 };
}
