using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Modules.Inventory.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Inventory.Persistence;

internal abstract class InventoryDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<StockItem> StockItems => Set<StockItem>();

    public DbSet<StockReservation> Reservations => Set<StockReservation>();

    public DbSet<OrderClaim> OrderClaims => Set<OrderClaim>();

    protected override string Schema => "inventory";
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqliteInventoryDbContext(DbContextOptions<SqliteInventoryDbContext> options) : InventoryDbContext(options);

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerInventoryDbContext(DbContextOptions<SqlServerInventoryDbContext> options) : InventoryDbContext(options);

internal sealed class StockItemConfiguration : IEntityTypeConfiguration<StockItem>
{
    public void Configure(EntityTypeBuilder<StockItem> builder)
    {
        builder.ToTable("StockItems", table =>
        {
            // The database itself refuses numbers a bug could produce, on either provider.
            table.HasCheckConstraint("CK_StockItems_Quantities", "OnHand >= 0 AND Reserved >= 0 AND Reserved <= OnHand");
        });
        builder.HasKey(s => s.ProductId);
        builder.Property(s => s.ProductId).ValueGeneratedNever();
        builder.Property(s => s.Sku).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Name).HasMaxLength(200).IsRequired();
        builder.Ignore(s => s.Available);
    }
}

internal sealed class StockReservationConfiguration : IEntityTypeConfiguration<StockReservation>
{
    public void Configure(EntityTypeBuilder<StockReservation> builder)
    {
        builder.ToTable("StockReservations");
        builder.HasKey(r => new { r.OrderId, r.ProductId });
        builder.Property(r => r.State).HasConversion<int>();
        builder.HasIndex(r => r.ProductId);
    }
}

internal sealed class OrderClaimConfiguration : IEntityTypeConfiguration<OrderClaim>
{
    public void Configure(EntityTypeBuilder<OrderClaim> builder)
    {
        builder.ToTable("OrderClaims");
        builder.HasKey(c => c.OrderId);
        builder.Property(c => c.OrderId).ValueGeneratedNever();
        builder.Property(c => c.State).HasConversion<int>();
    }
}
