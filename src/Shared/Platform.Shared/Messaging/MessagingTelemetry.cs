using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Shared.Messaging;

/// <summary>
/// Spans and metrics of the messaging pipeline, tagged by module. A "dispatch" span continues the
/// trace of the request that published the event, and each "process" span is a child of its dispatch,
/// so one trace runs from HTTP request to every handler.
/// </summary>
public sealed class MessagingTelemetry : IDisposable
{
    public const string Name = "Platform.Messaging";

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _claims;
    private readonly Histogram<double> _dispatchLatency;
    private readonly Histogram<double> _handleLatency;
    private readonly ConcurrentDictionary<(string Module, string Store, string Destination), (long Count, double OldestSeconds)> _backlog = new();

    public MessagingTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(Name);
        _published = _meter.CreateCounter<long>("platform.messaging.published", "{message}", "Events committed to an outbox.");
        _dispatched = _meter.CreateCounter<long>("platform.messaging.dispatched", "{message}", "Outbox deliveries the subscriber has durably.");
        _handled = _meter.CreateCounter<long>("platform.messaging.handled", "{message}", "Handler runs committed.");
        _duplicates = _meter.CreateCounter<long>("platform.messaging.duplicates", "{message}", "Deliveries skipped because the inbox already had them.");
        _retries = _meter.CreateCounter<long>("platform.messaging.retries", "{message}", "Failed attempts scheduled for another try.");
        _deadLettered = _meter.CreateCounter<long>("platform.messaging.dead_lettered", "{message}", "Messages parked after their last attempt.");
        _claims = _meter.CreateCounter<long>("platform.messaging.claims", "{statement}", "Claim statements run against an outbox or inbox.");
        _dispatchLatency = _meter.CreateHistogram<double>("platform.messaging.dispatch.latency", "ms", "From publish to the subscriber having the message.");
        _handleLatency = _meter.CreateHistogram<double>("platform.messaging.handle.latency", "ms", "From publish to the handler's commit.");
        _meter.CreateObservableGauge("platform.messaging.backlog", ObserveCount, "{message}",
            "Rows waiting in a module's outbox (per destination) or inbox. A property of the shared database: every instance reports the same value, so aggregate with max, not sum.");
        _meter.CreateObservableGauge("platform.messaging.backlog.age", ObserveAge, "s",
            "Age of the oldest waiting row. A property of the shared database: aggregate with max.");
    }

    public void Published(string module, string type) => _published.Add(1, Tags(module, type));

    public void Dispatched(string module, string destination, string type, TimeSpan sincePublished)
    {
        var tags = new TagList { { "module", module }, { "destination", destination }, { "type", type } };
        _dispatched.Add(1, tags);
        _dispatchLatency.Record(sincePublished.TotalMilliseconds, tags);
    }

    public void Handled(string module, string type, TimeSpan sincePublished)
    {
        _handled.Add(1, Tags(module, type));
        _handleLatency.Record(sincePublished.TotalMilliseconds, Tags(module, type));
    }

    public void Duplicate(string module, string type) => _duplicates.Add(1, Tags(module, type));

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

    public void Claimed(string module, string store) => _claims.Add(1, new TagList { { "module", module }, { "store", store } });

    public void Backlog(string module, string store, string destination, long count, TimeSpan oldest) =>
        _backlog[(module, store, destination)] = (count, Math.Max(0, oldest.TotalSeconds));

    /// <summary>
    /// A span in the message's trace, made current. Without <paramref name="parentId"/> it starts a new
    /// trace rather than joining whatever happens to be current on the worker's thread. Stopping it
    /// leaves no current activity: callers on a request's thread restore their own.
    /// </summary>
    public Activity? Start(string operation, string module, MessageEnvelope envelope, ActivityKind kind, string? parentId)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var previous = Activity.Current;
        if (parentId is null)
        {
            Activity.Current = null;
        }

        // A legacy hierarchical parent (a pre-W3C Request-Id) keeps its format, or the span would start a trace of its own.
        var format = parentId is ['|', ..] ? ActivityIdFormat.Hierarchical : ActivityIdFormat.Unknown;
        var activity = _source.CreateActivity($"{operation} {envelope.Type}", kind, parentId, idFormat: format)?.Start();
        if (activity is null)
        {
            Activity.Current = previous;
            return null;
        }

        activity.SetTag("messaging.system", "platform");
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.destination.name", envelope.Type);
        activity.SetTag("messaging.message.id", envelope.MessageId.ToString());
        activity.SetTag("platform.module", module);
        activity.SetTag("platform.source_module", envelope.SourceModule);
        return activity;
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }

    private static TagList Tags(string module, string type) => new() { { "module", module }, { "type", type } };

    private IEnumerable<Measurement<long>> ObserveCount() =>
        _backlog.Select(entry => new Measurement<long>(entry.Value.Count, BacklogTags(entry.Key)));

    private IEnumerable<Measurement<double>> ObserveAge() =>
        _backlog.Select(entry => new Measurement<double>(entry.Value.OldestSeconds, BacklogTags(entry.Key)));

    private static TagList BacklogTags((string Module, string Store, string Destination) key) =>
        new() { { "module", key.Module }, { "store", key.Store }, { "destination", key.Destination } };
}
