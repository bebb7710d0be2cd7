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

/// <summary>An event waiting in its publisher's database to be handed to the transport.</summary>
internal sealed class OutboxMessage
{
    /// <summary>Insertion order: dispatch goes oldest first.</summary>
    public long Sequence { get; set; }

    public Guid MessageId { get; set; }

    public string Type { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string SourceModule { get; set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public int Attempts { get; set; }

    /// <summary>Unix milliseconds from which the row may be dispatched (later after a failure).</summary>
    public long DueAt { get; set; }

    /// <summary>Unix milliseconds until which an instance holds the row; null when unclaimed.</summary>
    public long? LockedUntil { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public string? LastError { get; set; }

    public MessageEnvelope ToEnvelope() => new(MessageId, Type, OccurredAt, SourceModule, Payload, TraceParent, TraceState);
}

/// <summary>
/// A message received by a subscribing module, one row per handler. The row is marked processed in
/// the same transaction as the handler's effects, so a redelivered message has no second effect.
/// </summary>
internal sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    /// <summary>The handler's type name: each handler of a message succeeds or fails on its own.</summary>
    public string Handler { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string SourceModule { get; set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public int Attempts { get; set; }

    public long DueAt { get; set; }

    public long? LockedUntil { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public string? LastError { get; set; }

    public MessageEnvelope ToEnvelope() => new(MessageId, Type, OccurredAt, SourceModule, Payload, TraceParent, TraceState);
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
        where T : class
    {
        builder.Property<string>("Type").HasMaxLength(200).IsRequired();
        builder.Property<string>("Payload").IsRequired();
        builder.Property<string>("SourceModule").HasMaxLength(64).IsRequired();
        builder.Property<string?>("TraceParent").HasMaxLength(64);
        builder.Property<string?>("TraceState").HasMaxLength(512);
        builder.Property<string?>("LastError").HasMaxLength(4000);
    }
}
