using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Modules.Sample.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Sample.Persistence;

internal abstract class SampleDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<SampleItem> Items => Set<SampleItem>();

    protected override string Schema => "sample";
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqliteSampleDbContext(DbContextOptions<SqliteSampleDbContext> options) : SampleDbContext(options);

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerSampleDbContext(DbContextOptions<SqlServerSampleDbContext> options) : SampleDbContext(options);

internal sealed class SampleItemConfiguration : IEntityTypeConfiguration<SampleItem>
{
    public void Configure(EntityTypeBuilder<SampleItem> builder)
    {
        builder.ToTable("Items");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Name).HasMaxLength(SampleItem.NameMaxLength).IsRequired();
    }
}
