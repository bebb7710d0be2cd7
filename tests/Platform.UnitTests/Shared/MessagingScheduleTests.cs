using Microsoft.Extensions.Time.Testing;
using Platform.Shared.Messaging;

namespace Platform.UnitTests.Shared;

/// <summary>When a messaging worker renews its leases and looks for due retries: no failure makes it loop, no wake-up is lost.</summary>
public sealed class MessagingScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_wake_up_for_a_sooner_retry_asked_for_during_a_pass_is_kept()
    {
        var check = new RetryCheck();
        check.Reset(5_000);
        check.Advance(5_200).Should().BeFalse("later than the check already planned");
        var (read, requests) = (check.At, check.Requests);

        check.Advance(2_000).Should().BeTrue("a replay asks for 2 000 while the pass is reading the store");
        check.Settle(read, requests, next: 6_000, nowMs: 5_000);

        check.At.Should().Be(2_000);
    }

    [Fact]
    public void A_wake_up_asked_for_during_a_pass_makes_the_next_pass_run_at_once()
    {
        // The pass runs because its check is due (read <= now); a replay then asks for "now", which moves nothing,
        // and its row may have been committed after the pass read the store, which found only a retry hours away.
        var check = new RetryCheck();
        check.Reset(1_000);
        var (read, requests) = (check.At, check.Requests);

        check.Advance(1_000).Should().BeFalse();
        check.Settle(read, requests, next: 9_000_000, nowMs: 1_000);

        check.At.Should().BeLessThanOrEqualTo(1_000, "the replayed row is looked for at once, not when the other retry is due");
    }

    [Fact]
    public void A_pass_replaces_the_time_it_started_from_even_with_a_later_one()
    {
        var check = new RetryCheck();
        check.Reset(5_000);

        check.Settle(check.At, check.Requests, next: 6_000, nowMs: 5_000);

        check.At.Should().Be(6_000, "nothing was asked for meanwhile");
    }

    [Fact]
    public void A_failed_renewal_is_due_again_after_a_pause_not_at_once()
    {
        var clock = new FakeTimeProvider(Start);
        var schedule = new UpkeepSchedule(new MessagingOptions { LeaseDuration = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromSeconds(1) }, clock);
        schedule.RenewalDue(Start).Should().BeTrue("nothing was renewed yet");

        schedule.RenewalFailed(Start);

        schedule.RenewalDue(Start).Should().BeFalse();
        schedule.Bound(TimeSpan.FromSeconds(30)).Should().Be(TimeSpan.FromSeconds(2), "the loop's back-off after one failure");
        schedule.RenewalDue(Start + TimeSpan.FromSeconds(2)).Should().BeTrue();

        for (var failures = 0; failures < 10; failures++)
        {
            schedule.RenewalFailed(Start);
        }

        schedule.Bound(TimeSpan.FromMinutes(5)).Should().Be(TimeSpan.FromSeconds(10), "never longer than the renewal interval, a third of the lease");
    }

    [Fact]
    public void A_renewal_is_due_a_third_of_the_lease_after_the_last_one()
    {
        var clock = new FakeTimeProvider(Start);
        var schedule = new UpkeepSchedule(new MessagingOptions { LeaseDuration = TimeSpan.FromSeconds(30) }, clock);

        schedule.Renewed(Start);

        schedule.RenewalDue(Start + TimeSpan.FromSeconds(9.9)).Should().BeFalse();
        schedule.RenewalDue(Start + TimeSpan.FromSeconds(10)).Should().BeTrue();
        schedule.Bound(TimeSpan.FromSeconds(1)).Should().Be(TimeSpan.FromSeconds(1));
        schedule.TakeHousekeeping(Start).Should().BeTrue();
        schedule.TakeHousekeeping(Start + TimeSpan.FromMilliseconds(500)).Should().BeFalse("housekeeping is once a second");
        schedule.UntilHousekeeping(Start).Should().Be(TimeSpan.FromSeconds(1));
    }
}
