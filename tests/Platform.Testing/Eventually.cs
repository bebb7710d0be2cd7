namespace Platform.Testing;

/// <summary>Waits for something asynchronous to become true, within a bounded time, then fails with the last state.</summary>
public static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(because is null ? string.Empty : ": " + because)}. Last value: {value}");
            }

            await Task.Delay(25);
        }
    }
}
