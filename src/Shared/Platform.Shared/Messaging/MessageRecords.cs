using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Platform.Shared.Messaging;

/// <summary>
/// What travels between modules, the same for every transport: identity, wire type, origin, payload
/// and the W3C trace context of the request that published it.
/// </summary>
public sealed record MessageEnvelope(
    Guid MessageId,
    string Type,
    DateTimeOffset OccurredAt,
    string SourceModule,
    string Payload,
    string? TraceParent,
    string? TraceState);

/// <summary>What outbox and inbox rows share: the envelope, and the bookkeeping of attempts.</summary>
internal abstract class StoredMessage
{
    public Guid MessageId { get; set; }

    public string Type { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string SourceModule { get; set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public int Attempts { get; set; }

    /// <summary>Unix milliseconds from which the row may be worked on (later after a failure).</summary>
    public long DueAt { get; set; }

    /// <summary>Unix milliseconds until which an instance holds the row; null when unclaimed.</summary>
    public long? LockedUntil { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public string? LastError { get; set; }

    public MessageEnvelope ToEnvelope() => new(MessageId, Type, OccurredAt, SourceModule, Payload, TraceParent, TraceState);
}

/// <summary>An event waiting in its publisher's database to be handed to the transport.</summary>
internal sealed class OutboxMessage : StoredMessage
{
    /// <summary>Insertion order: dispatch goes oldest first.</summary>
    public long Sequence { get; set; }
}

/// <summary>
/// A message received by a subscribing module, one row per handler. The row is written in the same
/// transaction as the handler's effects, so a redelivered message has no second effect.
/// </summary>
internal sealed class InboxMessage : StoredMessage
{
    /// <summary>The handler's type name: each handler of a message succeeds or fails on its own.</summary>
    public string Handler { get; set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Sequence);
        builder.Property(m => m.Sequence).ValueGeneratedOnAdd();
        builder.HasIndex(m => m.MessageId).IsUnique();
        MessageColumns.Configure(builder);
        builder.HasIndex(m => new { m.ProcessedAt, m.DeadLetteredAt, m.DueAt });
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("InboxMessages");
        builder.HasKey(m => new { m.MessageId, m.Handler });
        builder.Property(m => m.Handler).HasMaxLength(300);
        MessageColumns.Configure(builder);
        builder.HasIndex(m => new { m.ProcessedAt, m.DeadLetteredAt, m.DueAt });
    }
}

internal static class MessageColumns
{
    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : StoredMessage
    {
        builder.Property(m => m.Type).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Payload).IsRequired();
        builder.Property(m => m.SourceModule).HasMaxLength(64).IsRequired();
        builder.Property(m => m.TraceParent).HasMaxLength(64);
        builder.Property(m => m.TraceState).HasMaxLength(512);
        builder.Property(m => m.LastError).HasMaxLength(4000);
    }
}
