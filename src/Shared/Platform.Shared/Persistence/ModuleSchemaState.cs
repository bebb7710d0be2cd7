using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>
/// Whether a module's database has every migration this build knows. A schema found current is
/// remembered for the life of the process (migrations are only ever added, and a newer deployment that
/// migrates further leaves this build's migrations applied), so the migrator, the readiness check and
/// start-up work such as seeding ask the database once instead of each on every call.
/// </summary>
public sealed class ModuleSchemaState
{
    private readonly ConcurrentDictionary<Type, bool> current = new();

    /// <summary>The migrations this build has that the database lacks; empty when the schema is current.</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (current.ContainsKey(db.GetType()))
        {
            return [];
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            current.TryAdd(db.GetType(), true);
        }

        return pending;
    }

    internal void MarkCurrent(DbContext db) => current.TryAdd(db.GetType(), true);
}
