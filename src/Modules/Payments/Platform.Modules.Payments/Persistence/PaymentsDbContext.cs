using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Modules.Payments.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Payments.Persistence;

internal abstract class PaymentsDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    protected override string Schema => "payments";
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqlitePaymentsDbContext(DbContextOptions<SqlitePaymentsDbContext> options) : PaymentsDbContext(options);

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerPaymentsDbContext(DbContextOptions<SqlServerPaymentsDbContext> options) : PaymentsDbContext(options);

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("Payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        // One payment per order: a second OrderPlaced/OrderCancelled racing to open it fails on the key and is retried.
        builder.HasIndex(p => p.OrderId).IsUnique();
        builder.HasIndex(p => p.CustomerId);
        // A sortable number, so "newest first" orders the same way on both providers.
        builder.Property(p => p.CreatedAt).HasConversion(UtcTicks.Converter);
        builder.Property(p => p.Amount).HasPrecision(18, 2);
        builder.Property(p => p.Currency).HasMaxLength(3).IsRequired();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.DeclineReason).HasMaxLength(200);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.IsDescribed);
        builder.Ignore(p => p.ChargeKey);
        builder.Ignore(p => p.RefundKey);
        builder.HasMany(p => p.Transactions).WithOne().HasForeignKey(t => t.PaymentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Transactions).HasField("_transactions").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PaymentTransactionConfiguration : IEntityTypeConfiguration<PaymentTransaction>
{
    public void Configure(EntityTypeBuilder<PaymentTransaction> builder)
    {
        builder.ToTable("PaymentTransactions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(t => t.Outcome).HasMaxLength(20);
        builder.Property(t => t.Amount).HasPrecision(18, 2);
        builder.Property(t => t.Currency).HasMaxLength(3).IsRequired();
        builder.Property(t => t.GatewayReference).HasMaxLength(100).IsRequired();
        builder.HasIndex(t => t.PaymentId);
    }
}
