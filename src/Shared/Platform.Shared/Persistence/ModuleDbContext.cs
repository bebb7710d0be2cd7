using Microsoft.EntityFrameworkCore;
using Platform.Shared.Messaging;

namespace Platform.Shared.Persistence;

/// <summary>
/// Base of every module's DbContext: puts the module's tables in its own schema, applies the entity
/// configurations found in the module's assembly, and adds the module's outbox and inbox tables.
/// </summary>
public abstract class ModuleDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The module's schema, e.g. <c>catalog</c>.</summary>
    protected abstract string Schema { get; }

    /// <summary>Set when outbox rows were saved and the dispatcher has not been woken for them yet.</summary>
    internal bool HasUnsignalledOutboxWrites { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(GetType().Assembly);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
        base.OnModelCreating(modelBuilder);
    }
}
