using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issues 15 and 16: one request through the gateway, to a module in another process that asks a contract
/// query back and publishes an event over RabbitMQ, is one trace: gateway, HTTP query and broker hop.
/// </summary>
[Collection(SplitFixture.Collection)]
public sealed class SplitTraceTests(SplitFixture fixture)
{
    private const string ServerSpan = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
    private const string ClientSpan = "System.Net.Http.HttpRequestOut";

    [Fact]
    public async Task The_gateway_hop_and_the_contract_query_hop_are_spans_of_the_callers_trace()
    {
        var split = fixture.Split;
        using var admin = await split.AdminAsync();
        var product = await admin.CreateAsync();
        using var customer = await split.CustomerAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http" or Platform.Shared.Messaging.MessagingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var traceId = ActivityTraceId.CreateRandom();

        // Placing an order prices it with Catalog's product snapshots: a contract query from Ordering's process back to the gateway's.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ordering/orders") { Content = JsonContent.Create(new { lines = new[] { new { productId = product.Id, quantity = 1 } } }) };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await customer.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Accepted, "the order is placed, and confirmed later by the saga");

        var queryUrl = split.GatewayUrl + "internal/catalog/queries/catalog.product-snapshots";
        var trace = await Eventually.MatchAsync(() => Task.FromResult(spans.Where(s => s.TraceId == traceId).ToList()),
            found => found.Any(s => s.OperationName == ClientSpan && Url(s) == queryUrl)
                && found.Any(s => s.OperationName == "process ordering.order-placed" && (string?)s.GetTagItem("platform.module") == "Inventory")
                && found.Any(s => s.OperationName == "dispatch ordering.order-placed")
                && found.Any(s => s.OperationName == ServerSpan && found.Any(f => f.OperationName == ClientSpan && f.ParentSpanId == s.SpanId && Url(f) == split.CommerceUrl + "api/ordering/orders")),
            TimeSpan.FromSeconds(15), "the gateway, Ordering's process, Catalog's query endpoint and Inventory's consumer all saw the order");
        var forward = trace.Single(s => s.OperationName == ClientSpan && Url(s) == split.CommerceUrl + "api/ordering/orders");
        var query = trace.Single(s => s.OperationName == ClientSpan && Url(s) == queryUrl);
        var servers = trace.Where(s => s.OperationName == ServerSpan).ToList();
        var atGateway = servers.Single(s => s.SpanId == forward.ParentSpanId);
        var atOrdering = servers.Single(s => s.ParentSpanId == forward.SpanId);
        var atCatalog = servers.Single(s => s.ParentSpanId == query.SpanId);
        IsWithin(query, atOrdering, trace).Should().BeTrue("Ordering's handler asked the query while serving the forwarded request");
        IsWithin(atCatalog, atGateway, trace).Should().BeTrue("one trace, from the caller's request at the gateway to Catalog's answer");
        var published = trace.Where(s => s.OperationName == "dispatch ordering.order-placed").ToList();
        var consumed = trace.First(s => s.OperationName == "process ordering.order-placed" && (string?)s.GetTagItem("platform.module") == "Inventory");
        published.Should().Contain(p => IsWithin(consumed, p, trace), "the consumer's span is a child of the relay's, across the broker");
        published.Should().OnlyContain(p => IsWithin(p, atGateway, trace), "the relay's span continues the request that placed the order");
    }

    private static string Url(Activity span) => span.GetTagItem("url.full") as string ?? string.Empty;

    private static bool IsWithin(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }
}
