using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Platform.Shared.Messaging;

/// <summary>
/// What outbox and inbox rows share: the envelope, the claim that fences who works on it, and its history.
/// </summary>
/// <remarks>
/// The stored-message types are public only because each module's generated compiled model names them
/// (it lives in the module's assembly). Module code never uses them; an architecture test holds that.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class StoredMessage
{
    public const int TraceParentMaxLength = 1024;

    public Guid MessageId { get; set; }

    public string Type { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string SourceModule { get; set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The publisher's trace parent: W3C <c>traceparent</c>, or a legacy hierarchical id (up to 1024 characters).</summary>
    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    /// <summary>Attempts started: counted when the row is claimed, so a crash mid-attempt still counts.</summary>
    public int Attempts { get; set; }

    /// <summary>Unix milliseconds from which the row may be worked on (later after a failure).</summary>
    public long DueAt { get; set; }

    /// <summary>Unix milliseconds until which <see cref="ClaimToken"/>'s holder owns the row; null when unclaimed.</summary>
    public long? LockedUntil { get; set; }

    /// <summary>
    /// Set by each claim. Completing, failing or releasing a row requires the same token, so a holder
    /// whose lease ran out and was taken over by another claim changes nothing.
    /// </summary>
    public Guid? ClaimToken { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>An administrator gave up on this dead letter; it is kept, with why, and never replayed.</summary>
    public DateTimeOffset? DiscardedAt { get; set; }

    public string? DiscardReason { get; set; }

    internal MessageEnvelope ToEnvelope() => new(MessageId, Type, OccurredAt, SourceModule, Payload, TraceParent, TraceState);
}

/// <summary>
/// One delivery waiting in its publisher's database: one row per event and destination, so each
/// subscribing module is delivered, retried, dead-lettered and replayed on its own.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class OutboxMessage : StoredMessage
{
    /// <summary>Marks rows written before per-destination delivery: they are split into one row per subscriber.</summary>
    public const string AllSubscribers = "*";

    /// <summary>Insertion order: delivery goes oldest first.</summary>
    public long Sequence { get; set; }

    /// <summary>The subscribing module this row delivers to.</summary>
    public string Destination { get; set; } = string.Empty;
}

/// <summary>
/// A message received by a subscribing module, one row per handler. The row is written in the same
/// transaction as the handler's effects, so a redelivered message has no second effect.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InboxMessage : StoredMessage
{
    /// <summary>The handler's stable name (<see cref="IntegrationEventHandlerAttribute"/>).</summary>
    public string Handler { get; set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>A message one handler has not processed: waiting for a retry, or a dead letter. A trace parent too long to keep is dropped.</summary>
    internal static InboxMessage Unprocessed(
        MessageEnvelope envelope, string handler, int attempts, DateTimeOffset receivedAt, long dueAt, string? lastError, DateTimeOffset? deadLetteredAt) => new()
    {
        MessageId = envelope.MessageId,
        Handler = handler,
        Type = envelope.Type,
        Payload = envelope.Payload,
        SourceModule = envelope.SourceModule,
        OccurredAt = envelope.OccurredAt,
        TraceParent = envelope.TraceParent is { Length: <= TraceParentMaxLength } parent ? parent : null,
        TraceState = envelope.TraceParent is { Length: <= TraceParentMaxLength } ? envelope.TraceState : null,
        ReceivedAt = receivedAt,
        Attempts = attempts,
        DueAt = dueAt,
        LastError = lastError,
        DeadLetteredAt = deadLetteredAt,
    };
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Sequence);
        builder.Property(m => m.Sequence).ValueGeneratedOnAdd();
        builder.Property(m => m.Destination).HasMaxLength(64).IsRequired();
        builder.HasIndex(m => new { m.MessageId, m.Destination }).IsUnique();
        MessageColumns.Configure(builder);
        // Claims and the backlog read waiting rows per destination, oldest first.
        builder.HasIndex(m => new { m.ProcessedAt, m.DeadLetteredAt, m.Destination, m.Sequence });
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
        builder.Property(m => m.TraceParent).HasMaxLength(StoredMessage.TraceParentMaxLength);
        builder.Property(m => m.TraceState).HasMaxLength(512);
        builder.Property(m => m.LastError).HasMaxLength(4000);
        builder.Property(m => m.DiscardReason).HasMaxLength(500);
    }
}
