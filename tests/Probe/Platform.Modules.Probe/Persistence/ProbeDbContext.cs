using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Shared.Persistence;

namespace Platform.Modules.Probe.Persistence;

/// <summary>One row per handled message and handler. Deliberately no unique key: a doubled effect must show as two rows.</summary>
internal sealed class ProbeEffect
{
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public string Handler { get; set; } = string.Empty;

    /// <summary>The ping's own id, for probe.record effects.</summary>
    public Guid? PingId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>SQLite's synchronous setting on the handler's connection (2 = FULL), to check how durable the commit is.</summary>
    public int? Synchronous { get; set; }
}

internal abstract class ProbeDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<ProbeEffect> Effects => Set<ProbeEffect>();

    protected override string Schema => "probe";
}

internal sealed class SqliteProbeDbContext(DbContextOptions<SqliteProbeDbContext> options) : ProbeDbContext(options);

internal sealed class SqlServerProbeDbContext(DbContextOptions<SqlServerProbeDbContext> options) : ProbeDbContext(options);

internal sealed class ProbeEffectConfiguration : IEntityTypeConfiguration<ProbeEffect>
{
    public void Configure(EntityTypeBuilder<ProbeEffect> builder)
    {
        builder.ToTable("Effects");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Handler).HasMaxLength(100);
        builder.HasIndex(e => e.MessageId);
    }
}
