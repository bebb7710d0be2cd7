using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Platform.Shared.Messaging;

namespace Platform.Modules.Probe;

/// <summary>Counts this process's claim statements (platform.messaging.claims), so a test can tell a waiting loop from a spinning one.</summary>
internal sealed class ClaimCounter(IMeterFactory meters, TimeProvider clock) : IHostedService, IDisposable
{
    private readonly MeterListener _listener = new();
    private long _statements;

    public long Statements => Interlocked.Read(ref _statements);

    public DateTimeOffset Since { get; } = clock.GetUtcNow();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingTelemetry.Name && instrument.Name == "platform.messaging.claims" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _statements, value));
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
