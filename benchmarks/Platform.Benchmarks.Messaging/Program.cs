using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Contracts;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;

// Publishes integration events at a steady rate through the in-process transport of the real host
// (SQLite files in a temp folder) and measures commit -> handled: from the publisher's commit to the
// commit of the subscriber's handler transaction (Identity's UserRegistered -> Notifications' welcome).
internal static class MessagingLatencyBenchmark
{
    public static async Task<int> Main()
    {
        var rate = Argument("--rate", 200);
        var seconds = Argument("--seconds", 30);
        var warmupSeconds = Argument("--warmup", 3);

        var dataDirectory = Path.Combine(Path.GetTempPath(), "platform-bench", Guid.NewGuid().ToString("N"));
        await using var host = new BenchmarkHost(dataDirectory);
        host.CreateClient();

        var handled = new ConcurrentDictionary<string, long>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.OperationName.StartsWith("process ", StringComparison.Ordinal) && activity.GetTagItem("messaging.message.id") is string id)
                {
                    handled[id] = Stopwatch.GetTimestamp();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var identity = host.Services.GetServices<ModuleDatabaseRegistration>().Single(d => d.ModuleName == "Identity").ContextType;

        Console.WriteLine($"Warm-up: {warmupSeconds} s at {rate}/s");
        await PublishAsync(rate, warmupSeconds, new ConcurrentDictionary<string, long>());
        await Task.Delay(1000);
        handled.Clear();

        Console.WriteLine($"Measuring: {seconds} s at {rate}/s ({rate * seconds} events)");
        var committed = new ConcurrentDictionary<string, long>();
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(rate, seconds, committed);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (committed.Keys.Any(id => !handled.ContainsKey(id)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }

        var latencies = committed
            .Where(c => handled.ContainsKey(c.Key))
            .Select(c => Stopwatch.GetElapsedTime(c.Value, handled[c.Key]).TotalMilliseconds)
            .Order()
            .ToArray();
        var lastHandled = committed.Keys.Where(handled.ContainsKey).Max(id => handled[id]);
        var elapsed = Stopwatch.GetElapsedTime(started, lastHandled).TotalSeconds;

        Console.WriteLine();
        Console.WriteLine("| metric | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| events published / handled | {committed.Count} / {latencies.Length} |");
        Console.WriteLine($"| throughput (handled/s) | {latencies.Length / elapsed:0.0} |");
        Console.WriteLine($"| commit->handled p50 | {Percentile(0.50):0.00} ms |");
        Console.WriteLine($"| commit->handled p95 | {Percentile(0.95):0.00} ms |");
        Console.WriteLine($"| commit->handled p99 | {Percentile(0.99):0.00} ms |");
        Console.WriteLine($"| commit->handled max | {latencies[^1]:0.00} ms |");
        return latencies.Length == committed.Count ? 0 : 1;

        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];

        async Task PublishAsync(int perSecond, int duration, ConcurrentDictionary<string, long> commits)
        {
            var interval = Stopwatch.Frequency / perSecond;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perSecond * duration; i++)
            {
                var due = start + (i * interval);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }

                await using var scope = host.Services.CreateAsyncScope();
                var db = (DbContext)scope.ServiceProvider.GetRequiredService(identity);
                await using var transaction = await db.Database.BeginTransactionAsync();
                var id = scope.ServiceProvider.GetRequiredService<IEventPublisher>()
                    .Publish(new UserRegistered(Guid.NewGuid(), $"bench-{i}@example.com", "Bench", ["Customer"]));
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                commits[id.ToString()] = Stopwatch.GetTimestamp();
            }
        }

        static int Argument(string name, int fallback)
        {
            var args = Environment.GetCommandLineArgs();
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }
    }
}

internal sealed class BenchmarkHost(string dataDirectory) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSolutionRelativeContentRoot("src/Host");
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", dataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
