using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Modules.Ordering.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Ordering.Persistence;

internal abstract class OrderingDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override string Schema => "ordering";
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqliteOrderingDbContext(DbContextOptions<SqliteOrderingDbContext> options) : OrderingDbContext(options);

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerOrderingDbContext(DbContextOptions<SqlServerOrderingDbContext> options) : OrderingDbContext(options);

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("Orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.CustomerEmail).HasMaxLength(320).IsRequired();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.CancellationReason).HasMaxLength(40);
        builder.Property(o => o.Total).HasPrecision(18, 2);
        builder.Property(o => o.Currency).HasMaxLength(3).IsRequired();
        // Stored as a sortable number, so "newest first" and the timeout sweep are plain index reads on both providers.
        builder.Property(o => o.PlacedAt).HasConversion(UtcTicks.Converter);
        builder.Property(o => o.IdempotencyKey).HasMaxLength(Order.IdempotencyKeyMaxLength);
        builder.Property(o => o.RequestFingerprint).HasMaxLength(64);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Ignore(o => o.IsOpen);
        builder.Ignore(o => o.WasConfirmed);

        builder.HasIndex(o => new { o.CustomerId, o.IdempotencyKey }).IsUnique().HasFilter("IdempotencyKey IS NOT NULL");
        builder.HasIndex(o => new { o.CustomerId, o.PlacedAt });
        builder.HasIndex(o => new { o.Status, o.PlacedAt });

        builder.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(o => o.History).WithOne().HasForeignKey(h => h.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.History).HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.ToTable("OrderLines");
        builder.HasKey(l => new { l.OrderId, l.LineNumber });
        builder.Property(l => l.Sku).HasMaxLength(64).IsRequired();
        builder.Property(l => l.Name).HasMaxLength(200).IsRequired();
        builder.Property(l => l.UnitPrice).HasPrecision(18, 2);
        builder.Ignore(l => l.LineTotal);
    }
}

internal sealed class OrderStatusChangeConfiguration : IEntityTypeConfiguration<OrderStatusChange>
{
    public void Configure(EntityTypeBuilder<OrderStatusChange> builder)
    {
        builder.ToTable("OrderStatusHistory");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Reason).HasMaxLength(40);
        builder.HasIndex(h => h.OrderId);
    }
}
