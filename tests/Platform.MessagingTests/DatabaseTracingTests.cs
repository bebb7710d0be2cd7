using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Platform.MessagingTests;

/// <summary>
/// With an OTLP endpoint the host runs the OpenTelemetry SDK. Its EF Core instrumentation hooks EF's
/// diagnostics once per process, so this is the one test that starts a host with telemetry on, and
/// it runs with no other host beside it.
/// </summary>
[Collection(nameof(AloneInTheProcess))]
public sealed class DatabaseTracingTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_host_exports_and_keeps_serving_and_each_database_command_is_a_span_in_the_request_trace()
    {
        // Nothing listens on the port: export fails in the background and must never reach a request.
        using var exporting = new PlatformFactory().With("OpenTelemetry:OtlpEndpoint", "http://127.0.0.1:9");
        using var plain = new PlatformFactory();
        var client = exporting.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        (await client.RegisterAsync(IdentityApi.NewEmail())).StatusCode.Should().Be(HttpStatusCode.Created);

        // EF Core re-checks once a second whether anyone listens to its diagnostics; pooled contexts
        // used before the tracer started (migrations) remember "nobody" until then.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);

        exporting.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)).Should().NotBeNull();
        exporting.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)).Should().NotBeNull();
        plain.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)).Should().BeNull("without an endpoint no SDK is registered");
        spans.Should().NotBeEmpty("the product query runs inside the request");
        spans.Should().OnlyContain(span => span.Kind == ActivityKind.Client);
    }
}

[CollectionDefinition(nameof(AloneInTheProcess), DisableParallelization = true)]
public sealed class AloneInTheProcess;
