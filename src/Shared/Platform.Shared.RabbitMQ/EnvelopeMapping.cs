using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Platform.Shared.Messaging;
using RabbitMQ.Client;

namespace Platform.Shared.RabbitMQ;

/// <summary>
/// The envelope as AMQP properties: message id, type (the wire name), app id (the source module), JSON
/// content, persistent delivery, the time in milliseconds in a header (AMQP's own timestamp has seconds
/// only) and W3C trace context in <c>traceparent</c>/<c>tracestate</c> headers.
/// </summary>
internal static class EnvelopeMapping
{
    public const string OccurredAtHeader = "occurred-at-ms";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    public static BasicProperties PropertiesOf(MessageEnvelope envelope)
    {
        var headers = new Dictionary<string, object?> { [OccurredAtHeader] = envelope.OccurredAt.ToUnixTimeMilliseconds() };
        if (envelope.TraceParent is { } parent)
        {
            headers[TraceParentHeader] = parent;
            if (envelope.TraceState is { } state)
            {
                headers[TraceStateHeader] = state;
            }
        }

        return new BasicProperties
        {
            MessageId = envelope.MessageId.ToString(),
            Type = envelope.Type,
            AppId = envelope.SourceModule,
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(envelope.OccurredAt.ToUnixTimeSeconds()),
            Headers = headers,
        };
    }

    public static byte[] BodyOf(MessageEnvelope envelope) => Encoding.UTF8.GetBytes(envelope.Payload);

    /// <summary>The envelope of a delivery, or null with why when it was not published by a platform process.</summary>
    public static MessageEnvelope? Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, out string? problem)
    {
        problem = null;
        if (!Guid.TryParse(properties.MessageId, out var messageId))
        {
            problem = "it has no message id";
        }
        else if (string.IsNullOrEmpty(properties.Type))
        {
            problem = "it has no type";
        }

        if (problem is not null)
        {
            return null;
        }

        var occurredAt = Header(properties, OccurredAtHeader) is { } ms && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unixMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs)
            : DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime);
        return new MessageEnvelope(
            messageId, properties.Type!, occurredAt, properties.AppId ?? string.Empty, Encoding.UTF8.GetString(body.Span),
            Header(properties, TraceParentHeader), Header(properties, TraceStateHeader));
    }

    /// <summary>
    /// A dead letter that cannot be read is kept all the same, under an id derived from its content (the same
    /// message stored twice is one row), so an administrator sees it and can discard it.
    /// </summary>
    public static MessageEnvelope Unreadable(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, TimeProvider clock)
    {
        var hash = SHA256.HashData(body.Span);
        return new MessageEnvelope(
            Guid.TryParse(properties.MessageId, out var id) ? id : new Guid(hash.AsSpan(0, 16)),
            string.IsNullOrEmpty(properties.Type) ? "unknown" : properties.Type,
            clock.GetUtcNow(), properties.AppId ?? string.Empty, Encoding.UTF8.GetString(body.Span), null, null);
    }

    public static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true ? Text(value) : null;

    /// <summary>Header strings arrive as bytes; numbers as numbers.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
