using Microsoft.EntityFrameworkCore;
using Platform.Shared.Persistence;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

/// <summary>
/// Removes an account's Admin role only if another administrator remains, in one statement that counts
/// and deletes together. Read-then-write would let two administrators demote each other at the same
/// moment, each seeing the other still there. On SQL Server the count holds its range (UPDLOCK,
/// HOLDLOCK) until the transaction ends; SQLite has a single writer.
/// </summary>
internal static class LastAdminGuard
{
    public static async Task<bool> TryRemoveAdminAsync(IdentityDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(Sql(db), [userId, PlatformRoles.Admin], cancellationToken) == 1;

    internal static string Sql(IdentityDbContext db)
    {
        var entity = db.Model.FindEntityType("Platform.Modules.Identity.Domain.User.Roles#UserRole")
            ?? db.Model.GetEntityTypes().Single(e => e.GetTableName() == "UserRoles");
        return db.Database.RunsOnSqlServer()
            ? $"""
              DELETE FROM [{entity.GetSchema()}].[UserRoles] WHERE [UserId] = {"{0}"} AND [Name] = {"{1}"}
                AND (SELECT COUNT(*) FROM [{entity.GetSchema()}].[UserRoles] WITH (UPDLOCK, HOLDLOCK) WHERE [Name] = {"{1}"}) > 1
              """
            : """
              DELETE FROM "UserRoles" WHERE "UserId" = {0} AND "Name" = {1}
                AND (SELECT COUNT(*) FROM "UserRoles" WHERE "Name" = {1}) > 1
              """;
    }
}
