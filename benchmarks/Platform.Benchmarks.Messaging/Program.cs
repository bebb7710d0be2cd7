using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Contracts;
using Platform.Shared.Hosting;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;
using Platform.Shared.RabbitMQ;
using RabbitMQ.Client;

// Publishes UserRegistered at a steady rate through a real host (SQLite files in a temp folder) and
// measures commit -> handled: from the publisher's commit to the commit of Notifications' handler.
// Scenarios: Notifications alone; with a second subscriber (the test-only Probe module) that is fast;
// and with that second subscriber taking 50 ms per message, whose backlog must not slow Notifications.
// --transport RabbitMQ carries the events over a local broker (scripts/rabbitmq.sh start), in queues of
// the run's own, deleted at the end.
var rate = Argument("--rate", 200);
var seconds = Argument("--seconds", 30);
var warmup = Argument("--warmup", 3);
var only = Text("--scenario");
var transport = Text("--transport") ?? "InProcess";

var scenarios = new List<Scenario>
{
    new("alone", "Notifications is the only subscriber", WithProbe: false, ProbeDelayMs: 0),
    new("fast-second", "a second subscriber (Probe), fast", WithProbe: true, ProbeDelayMs: 0),
    new("slow-second", "a second subscriber (Probe) taking 50 ms per message", WithProbe: true, ProbeDelayMs: 50),
};
var results = new List<(Scenario Scenario, Result Result)>();
foreach (var scenario in scenarios.Where(s => only is null || s.Name == only))
{
    Console.WriteLine($"== {scenario.Name}: {scenario.Description}; {rate}/s for {seconds} s, {transport}");
    results.Add((scenario, await RunAsync(scenario)));
}

Console.WriteLine();
Console.WriteLine($"| scenario | published / handled by Notifications | handled/s | p50 | p95 | p99 | max | second subscriber's backlog at the end |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var (scenario, result) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario.Description} | {result.Published} / {result.Handled} | {result.Throughput:0} | {result.P50:0.00} ms | {result.P95:0.00} ms | {result.P99:0.00} ms | {result.Max:0.00} ms | {(scenario.WithProbe ? result.SecondBacklog.ToString(CultureInfo.InvariantCulture) : "-")} |"));
}

if (results.Count(r => r.Scenario.WithProbe) == 2)
{
    var fast = results.Single(r => r.Scenario.Name == "fast-second").Result;
    var slow = results.Single(r => r.Scenario.Name == "slow-second").Result;
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Notifications with a slow second subscriber vs a fast one: p50 {slow.P50 / fast.P50:0.00}x, p99 {slow.P99 / fast.P99:0.00}x (target: within 1.2x)"));
}

return results.All(r => r.Result.Handled == r.Result.Published) ? 0 : 1;

async Task<Result> RunAsync(Scenario scenario)
{
    var dataDirectory = Path.Combine(Path.GetTempPath(), "platform-bench", Guid.NewGuid().ToString("N"));
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = ["--urls", "http://127.0.0.1:0"] });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:DataDirectory"] = dataDirectory,
        ["Identity:Admin:Email"] = "admin@bench.local",
        ["Identity:Admin:Password"] = "Bench-Admin-Password-1",
        ["Probe:UserRegisteredDelay"] = TimeSpan.FromMilliseconds(scenario.ProbeDelayMs).ToString(),
        ["Logging:LogLevel:Default"] = "Warning",
        ["Messaging:QueueCapacity"] = Text("--queue") ?? "1024",
        ["Messaging:Transport"] = transport,
        ["Messaging:RabbitMQ:QueuePrefix"] = $"bench-{Path.GetFileName(dataDirectory)[..8]}",
        ["Messaging:RabbitMQ:Exchange"] = $"bench-{Path.GetFileName(dataDirectory)[..8]}.events",
        ["Messaging:RabbitMQ:AlternateExchange"] = $"bench-{Path.GetFileName(dataDirectory)[..8]}.unroutable",
        ["Messaging:RabbitMQ:DeadLetterExchange"] = $"bench-{Path.GetFileName(dataDirectory)[..8]}.dead-letters",
    });
    var modules = ModuleDiscovery.DiscoverReferencedModules().Where(m => scenario.WithProbe || m.Name != "Probe");
    builder.AddPlatform(modules);
    builder.AddRabbitMqTransport();
    await using var app = builder.Build();
    app.UsePlatform();
    await app.Services.GetRequiredService<ModuleMigrator>().MigrateAsync(CancellationToken.None);
    await app.StartAsync();

    var handled = new ConcurrentDictionary<string, long>();
    using var listener = new ActivityListener
    {
        ShouldListenTo = source => source.Name == MessagingTelemetry.Name,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllData,
        ActivityStopped = activity =>
        {
            if (activity.OperationName.StartsWith("process ", StringComparison.Ordinal)
                && (string?)activity.GetTagItem("platform.module") == "Notifications"
                && activity.GetTagItem("messaging.message.id") is string id)
            {
                handled[id] = Stopwatch.GetTimestamp();
            }
        },
    };
    ActivitySource.AddActivityListener(listener);

    var identity = app.Services.GetServices<ModuleDatabaseRegistration>().Single(d => d.ModuleName == "Identity").ContextType;
    await PublishAsync(app.Services, identity, rate, warmup, new ConcurrentDictionary<string, long>());
    await Task.Delay(1000);
    handled.Clear();

    var committed = new ConcurrentDictionary<string, long>();
    var started = Stopwatch.GetTimestamp();
    var backlogSamples = new List<int>();
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            await Task.Delay(1000);
            backlogSamples.Add(committed.Count - committed.Keys.Count(handled.ContainsKey));
        }
    });
    await PublishAsync(app.Services, identity, rate, seconds, committed);
    await sampling.CancelAsync();
    await sampler;
    var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 30);
    while (committed.Keys.Any(id => !handled.ContainsKey(id)) && Stopwatch.GetTimestamp() < deadline)
    {
        await Task.Delay(50);
    }

    var latencies = committed.Where(c => handled.ContainsKey(c.Key))
        .Select(c => Stopwatch.GetElapsedTime(c.Value, handled[c.Key]).TotalMilliseconds).Order().ToArray();
    var last = committed.Keys.Where(handled.ContainsKey).Select(id => handled[id]).DefaultIfEmpty(Stopwatch.GetTimestamp()).Max();
    var elapsed = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
    long backlog = 0;
    if (scenario.WithProbe)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(identity);
        backlog = await db.Set<OutboxMessage>().LongCountAsync(m => m.Destination == "Probe" && m.ProcessedAt == null);
        if (app.Services.GetService<RabbitMqBroker>() is { } broker)
        {
            backlog += await broker.CountAsync(app.Services.GetRequiredService<RabbitMqTopology>().Names.Queue("Probe"), CancellationToken.None) ?? 0;
        }
    }


    await app.StopAsync();
    if (app.Services.GetService<RabbitMqOptions>() is { } rabbit)
    {
        await DeleteBrokerNamespaceAsync(rabbit, app.Services.GetRequiredService<RabbitMqTopology>());
    }
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dataDirectory, recursive: true);
    var publishedPerSecond = committed.Count / Stopwatch.GetElapsedTime(started, committed.Values.Max()).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"   published {publishedPerSecond:0}/s; Notifications' backlog (published - handled) each second: {string.Join(" ", backlogSamples)}"));
    return new Result(committed.Count, latencies.Length, latencies.Length / elapsed,
        Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies.LastOrDefault(), backlog);
}

static async Task PublishAsync(IServiceProvider services, Type identity, int perSecond, int duration, ConcurrentDictionary<string, long> commits)
{
    var interval = Stopwatch.Frequency / perSecond;
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < perSecond * duration; i++)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (i * interval));
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        await using var scope = services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(identity);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var id = scope.ServiceProvider.GetRequiredService<IEventPublisher>()
            .Publish(new UserRegistered(Guid.NewGuid(), $"bench-{i}@example.com", "Bench", ["Customer"]));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        commits[id.ToString()] = Stopwatch.GetTimestamp();
    }
}

static async Task DeleteBrokerNamespaceAsync(RabbitMqOptions options, RabbitMqTopology topology)
{
    await using var connection = await new ConnectionFactory { Uri = options.Uri }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    foreach (var module in new[] { "Notifications", "Probe" })
    {
        await channel.QueueDeleteAsync(topology.Names.Queue(module));
        await channel.QueueDeleteAsync(topology.Names.DeadLetterQueue(module));
    }

    await channel.QueueDeleteAsync(topology.Names.Unroutable);
    foreach (var exchange in new[] { options.Exchange, options.AlternateExchange, options.DeadLetterExchange })
    {
        await channel.ExchangeDeleteAsync(exchange);
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static int Argument(string name, int fallback) =>
    Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

static string? Text(string name)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

internal sealed record Scenario(string Name, string Description, bool WithProbe, int ProbeDelayMs);

internal sealed record Result(int Published, int Handled, double Throughput, double P50, double P95, double P99, double Max, long SecondBacklog);
