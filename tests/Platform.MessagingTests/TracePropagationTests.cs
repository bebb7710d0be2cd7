using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Written once, run on each transport: over RabbitMQ the trace context travels in the message's headers.</summary>
public abstract class TracePropagationTests(PlatformFactory factory)
{
    [Fact]
    public async Task One_trace_runs_from_the_publishing_request_through_the_outbox_to_the_handler()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.Name or "Microsoft.AspNetCore",
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

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/register")
        {
            Content = JsonContent.Create(new { email = IdentityApi.NewEmail(), password = PlatformFactory.CustomerPassword, displayName = "Traced" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        (await factory.CreateClient().SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Created);

        await Eventually.MatchAsync(() => Task.FromResult(spans.Select(s => $"{s.OperationName} {s.GetTagItem("platform.module")} {s.GetTagItem("platform.destination")}").ToList()),
            names => names.Contains("process identity.user-registered Notifications ") && names.Any(n => n.StartsWith("dispatch identity.user-registered Identity", StringComparison.Ordinal)));
        var handled = spans.Single(s => s.OperationName == "process identity.user-registered" && (string?)s.GetTagItem("platform.module") == "Notifications");
        handled.GetTagItem("platform.module").Should().Be("Notifications");
        handled.Kind.Should().Be(ActivityKind.Consumer);
        handled.Status.Should().NotBe(ActivityStatusCode.Error);
        // In process the relay dispatches to Notifications itself; over a broker, once to every subscriber ("*").
        var dispatch = spans.Single(s => s.OperationName == "dispatch identity.user-registered" && (string?)s.GetTagItem("platform.destination") == (factory.Broker is null ? "Notifications" : "*"));
        handled.ParentSpanId.Should().Be(dispatch.SpanId, "the handler's span is a child of the dispatch that delivered it, not of the request");
        dispatch.Kind.Should().Be(ActivityKind.Producer);
    }
}

public sealed class TracePropagationInProcessTests(PlatformFactory factory) : TracePropagationTests(factory), IClassFixture<PlatformFactory>;

public sealed class TracePropagationOverRabbitMqTests(RabbitMqPlatformFactory factory) : TracePropagationTests(factory), IClassFixture<RabbitMqPlatformFactory>;
