using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Platform.MessagingTests;

/// <summary>
/// Two real host processes on one data folder, a subscriber that sometimes throws and sometimes
/// sleeps past its lease, one message that crashes its process, and a kill -9 in the middle. In the
/// end every ping has exactly one effect or sits as a visible dead letter, and no loop spun.
/// </summary>
[Collection(nameof(AloneInTheProcess))]
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PublishFor = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Under_failures_slow_handlers_a_crash_and_a_kill_nothing_is_lost_doubled_or_spinning()
    {
        using var folder = new TempDataFolder();
        var settings = new Dictionary<string, string>
        {
            ["Messaging:LeaseDuration"] = "00:00:02",
            ["Messaging:HandlerTimeout"] = "00:00:10",
            ["Messaging:MaxAttempts"] = "6",
            ["Messaging:RetryBaseDelay"] = "00:00:00.100",
            ["Messaging:RetryMaxDelay"] = "00:00:01",
            ["Messaging:PollInterval"] = "00:00:00.200",
            ["Probe:FailurePercent"] = "20",
            ["Probe:SleepPercent"] = "1",
            ["Probe:Sleep"] = "00:00:02.200",
        };
        await using var a = await HostProcess.StartAsync(HostProcess.ProbeHost, folder.Path, settings);
        await using var b = await HostProcess.StartAsync(HostProcess.ProbeHost, folder.Path, settings);
        var accepted = new List<Guid>();
        var watch = Stopwatch.StartNew();
        var crashed = false;
        var killed = false;

        while (watch.Elapsed < PublishFor)
        {
            foreach (var host in new[] { a, b })
            {
                if (!host.HasExited)
                {
                    accepted.AddRange(await TryPingAsync(host, 3, "normal"));
                }
            }

            if (!crashed && watch.Elapsed > TimeSpan.FromSeconds(3))
            {
                crashed = true;
                accepted.AddRange(await TryPingAsync(a, 1, "crash"));
                await a.WaitForExitAsync(TimeSpan.FromSeconds(15));
                await a.StartAsync();
            }

            if (!killed && watch.Elapsed > TimeSpan.FromSeconds(8))
            {
                killed = true;
                await b.KillAsync();
                await Task.Delay(500);
                await b.StartAsync();
            }

            await Task.Delay(100);
        }

        crashed.Should().BeTrue();
        killed.Should().BeTrue();
        a.Output.Should().Contain("crashing the process once", "the crash really happened");

        var outcome = await Eventually.MatchAsync(() => Task.FromResult(Read(folder.Path, accepted)), o => o.Settled, TimeSpan.FromSeconds(90),
            "every accepted ping ends handled or dead-lettered");
        output.WriteLine($"{accepted.Count} pings accepted in {PublishFor.TotalSeconds:0} s: {outcome}, {outcome.Parked} dead letters");
        outcome.Doubled.Should().BeEmpty("no ping has two effects");
        outcome.Lost.Should().BeEmpty("every accepted ping has an effect or a visible dead letter");
        outcome.Handled.Should().BeGreaterThan(accepted.Count / 2);

        foreach (var host in new[] { a, b })
        {
            var claims = await host.Client.GetFromJsonAsync<ClaimStats>("/api/probe/claims");
            var perSecond = claims!.Statements / Math.Max(1, (DateTimeOffset.UtcNow - claims.Since).TotalSeconds);
            output.WriteLine($"port {host.Port}: {claims.Statements} claim statements since its (re)start, {perSecond:0.0}/s");
            perSecond.Should().BeLessThan(20, $"claims run only when something is due (saw {claims.Statements} since {claims.Since:T})");
        }
    }

    private static async Task<IEnumerable<Guid>> TryPingAsync(HostProcess host, int count, string behaviour)
    {
        try
        {
            return await host.Client.PingAsync(count, behaviour);
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Reads the Probe module's file the way an operator would: effects per ping, and dead letters.</summary>
    private static Outcome Read(string dataDirectory, IReadOnlyCollection<Guid> pings)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "probe.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        var effects = Query(connection, """SELECT "PingId" FROM "Effects" WHERE "Handler" = 'probe.record'""")
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var parked = Query(connection, """
            SELECT json_extract("Payload", '$.pingId') FROM "InboxMessages" WHERE "DeadLetteredAt" IS NOT NULL
            UNION ALL SELECT json_extract("Payload", '$.pingId') FROM "OutboxMessages" WHERE "DeadLetteredAt" IS NOT NULL
            """).ToHashSet();
        var doubled = pings.Where(p => effects.GetValueOrDefault(p) > 1).ToList();
        var lost = pings.Where(p => effects.GetValueOrDefault(p) == 0 && !parked.Contains(p)).ToList();
        return new Outcome(pings.Count(p => effects.GetValueOrDefault(p) == 1), doubled, lost, pings.Count(parked.Contains));
    }

    private static List<Guid> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0) && Guid.TryParse(reader.GetString(0), out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private sealed record Outcome(int Handled, List<Guid> Doubled, List<Guid> Lost, int Parked)
    {
        public bool Settled => Lost.Count == 0;

        public override string ToString() => $"handled {Handled}, doubled {Doubled.Count}, not yet settled {Lost.Count}";
    }

    private sealed record ClaimStats(long Statements, DateTimeOffset Since);
}
