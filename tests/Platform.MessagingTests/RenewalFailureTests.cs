using Microsoft.Data.Sqlite;

namespace Platform.MessagingTests;

/// <summary>
/// A lease renewal that fails at once (a read-only or damaged file, a constraint) must be tried again
/// after a pause. The time until the next renewal used to override the loop's back-off, so a failed
/// renewal was due again immediately: a relay holding a delivery looped without sleeping and flooded the log.
/// </summary>
public sealed class RenewalFailureTests
{
    [Fact]
    public async Task A_relay_whose_renewal_fails_tries_again_after_a_pause()
    {
        // Probe takes its time over UserRegistered, so Identity's relay holds the row and renews it every
        // LeaseDuration / 3 = 1 s, on identity.db, whose writer turn the slow handler does not hold.
        using var factory = new PlatformFactory()
            .With("Messaging:LeaseDuration", "00:00:03")
            .With("Messaging:HandlerTimeout", "00:01:00")
            .With("Probe:UserRegisteredDelay", "00:00:30");
        await factory.RegisterUserAsync();

        await using (var identity = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "identity.db")}"))
        {
            await identity.OpenAsync();
            await using var refuse = identity.CreateCommand();
            refuse.CommandText = """
                CREATE TRIGGER refuse_renewal BEFORE UPDATE OF LockedUntil ON OutboxMessages
                WHEN NEW.ProcessedAt IS NULL AND NEW.LockedUntil > OLD.LockedUntil
                BEGIN SELECT RAISE(ABORT, 'lease renewal refused by the test'); END;
                """;
            await refuse.ExecuteNonQueryAsync();
        }

        int Failures() => factory.Logs.Lines.Count(line => line.Contains("Identity outbox housekeeping failed", StringComparison.Ordinal));
        await Eventually.MatchAsync(() => Task.FromResult(Failures()), count => count >= 1, TimeSpan.FromSeconds(5), "the renewal is refused");
        var first = Failures();
        await Task.Delay(TimeSpan.FromSeconds(2));

        // About a second between attempts: a handful in two seconds, not hundreds.
        (Failures() - first).Should().BeLessThanOrEqualTo(4, "a failed renewal is tried again after a pause");
    }
}
