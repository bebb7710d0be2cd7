using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Shared.Messaging;

/// <summary>
/// Spans and metrics of the messaging pipeline, tagged by module. Spans continue the trace of the
/// request that published the event, so one trace runs from HTTP request to every handler.
/// </summary>
public sealed class MessagingTelemetry : IDisposable
{
    public const string Name = "Platform.Messaging";

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _dispatchLatency;
    private readonly Histogram<double> _handleLatency;
    private readonly ConcurrentDictionary<(string Module, string Store), long> _backlog = new();

    public MessagingTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(Name);
        _published = _meter.CreateCounter<long>("platform.messaging.published", "{message}", "Events written to an outbox.");
        _dispatched = _meter.CreateCounter<long>("platform.messaging.dispatched", "{message}", "Outbox rows handed to the transport.");
        _handled = _meter.CreateCounter<long>("platform.messaging.handled", "{message}", "Inbox rows handled successfully.");
        _retries = _meter.CreateCounter<long>("platform.messaging.retries", "{message}", "Failed attempts scheduled for another try.");
        _deadLettered = _meter.CreateCounter<long>("platform.messaging.dead_lettered", "{message}", "Messages parked after their last attempt.");
        _dispatchLatency = _meter.CreateHistogram<double>("platform.messaging.dispatch.latency", "ms", "From publish to hand-over to the transport.");
        _handleLatency = _meter.CreateHistogram<double>("platform.messaging.handle.latency", "ms", "From publish to the handler's commit.");
        _meter.CreateObservableGauge("platform.messaging.backlog", ObserveBacklog, "{message}", "Rows waiting in an outbox or inbox.");
    }

    public void Published(string module, string type) => _published.Add(1, Tags(module, type));

    public void Dispatched(string module, string type, TimeSpan sincePublished)
    {
        _dispatched.Add(1, Tags(module, type));
        _dispatchLatency.Record(sincePublished.TotalMilliseconds, Tags(module, type));
    }

    public void Handled(string module, string type, TimeSpan sincePublished)
    {
        _handled.Add(1, Tags(module, type));
        _handleLatency.Record(sincePublished.TotalMilliseconds, Tags(module, type));
    }

    public void Failed(string module, string stage, bool deadLettered)
    {
        var tags = new TagList { { "module", module }, { "stage", stage } };
        if (deadLettered)
        {
            _deadLettered.Add(1, tags);
        }
        else
        {
            _retries.Add(1, tags);
        }
    }

    public void Backlog(string module, string store, long count) => _backlog[(module, store)] = count;

    /// <summary>A span continuing the publisher's trace: "dispatch" on the outbox side, "process" on the inbox side.</summary>
    public Activity? Start(string operation, string module, MessageEnvelope envelope, ActivityKind kind)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, isRemote: true, out var parent);
        var activity = _source.StartActivity($"{operation} {envelope.Type}", kind, parent);
        activity?.SetTag("messaging.system", "platform");
        activity?.SetTag("messaging.operation.name", operation);
        activity?.SetTag("messaging.destination.name", envelope.Type);
        activity?.SetTag("messaging.message.id", envelope.MessageId.ToString());
        activity?.SetTag("platform.module", module);
        activity?.SetTag("platform.source_module", envelope.SourceModule);
        return activity;
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }

    private static TagList Tags(string module, string type) => new() { { "module", module }, { "type", type } };

    private IEnumerable<Measurement<long>> ObserveBacklog() =>
        _backlog.Select(entry => new Measurement<long>(entry.Value, new TagList { { "module", entry.Key.Module }, { "store", entry.Key.Store } }));
}
