using Platform.Shared.Messaging;

namespace Platform.UnitTests.Messaging;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task A_wait_without_a_time_limit_lasts_until_a_set_not_returning_at_once()
    {
        using var signal = new WakeSignal();

        var waiting = signal.WaitAsync(CancellationToken.None);
        var first = await Task.WhenAny(waiting, Task.Delay(200));

        first.Should().NotBeSameAs(waiting, "nothing set the signal: an idle worker would spin if this returned");
        signal.Set();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_negative_time_limit_is_no_wait_at_all_and_a_set_before_the_wait_is_kept()
    {
        using var signal = new WakeSignal();

        (await signal.WaitAsync(TimeSpan.FromMilliseconds(-5), CancellationToken.None)).Should().BeFalse();
        (await signal.WaitAsync(TimeSpan.FromMilliseconds(-1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))
            .Should().BeFalse("a deadline 1 ms past is no wait, not an endless one");
        signal.Set();
        signal.Set();
        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).Should().BeTrue("a set before the wait is not lost");
        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).Should().BeFalse("many sets count as one");
    }
}
