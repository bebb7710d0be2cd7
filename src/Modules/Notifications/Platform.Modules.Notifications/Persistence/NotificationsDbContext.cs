using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Platform.Modules.Notifications.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Notifications.Persistence;

internal abstract class NotificationsDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override string Schema => "notifications";
}

internal sealed class SqliteNotificationsDbContext(DbContextOptions<SqliteNotificationsDbContext> options) : NotificationsDbContext(options);

internal sealed class SqlServerNotificationsDbContext(DbContextOptions<SqlServerNotificationsDbContext> options) : NotificationsDbContext(options);

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedOnAdd();
        builder.Property(n => n.Recipient).HasMaxLength(254).IsRequired();
        builder.Property(n => n.Kind).HasMaxLength(50).IsRequired();
        builder.Property(n => n.Subject).HasMaxLength(200).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(4000).IsRequired();
        builder.HasIndex(n => n.UserId);
        builder.HasIndex(n => new { n.SourceMessageId, n.Kind }).IsUnique();
    }
}
