using Platform.Shared.Configuration;

namespace Platform.Modules.Probe;

/// <summary>The <c>Probe</c> section: how the probe's handlers misbehave.</summary>
internal sealed class ProbeSettings
{
    /// <summary>Percentage of attempts of probe.record that throw.</summary>
    public int FailurePercent { get; set; }

    /// <summary>Percentage of attempts of probe.record that sleep for <see cref="Sleep"/> first.</summary>
    public int SleepPercent { get; set; }

    public TimeSpan Sleep { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long probe.user-registered takes per message (a slow subscriber).</summary>
    public TimeSpan UserRegisteredDelay { get; set; }
}

/// <summary>Decides per message and attempt, from the message id, so runs are reproducible; counts every handler start in a file.</summary>
internal sealed class ProbeBehaviour(ProbeSettings settings, DataFolder dataFolder)
{
    private readonly object _gate = new();

    public ProbeSettings Settings => settings;

    /// <summary>A side effect outside any transaction, like sending a mail: a handler run twice shows up here twice.</summary>
    public void RecordStart(Guid messageId, string handler)
    {
        lock (_gate)
        {
            File.AppendAllText(dataFolder.File("probe-starts.log"), $"{messageId} {handler}{Environment.NewLine}");
        }
    }

    /// <summary>While the data folder holds a <c>probe-broken</c> file ("the bug"), crash-while-broken pings crash the process.</summary>
    public bool IsBroken => File.Exists(dataFolder.File("probe-broken"));

    public bool ShouldFail(Guid messageId, int attempt) => Roll(messageId, attempt, 17) < settings.FailurePercent;

    public bool ShouldSleep(Guid messageId, int attempt) => Roll(messageId, attempt, 31) < settings.SleepPercent;

    /// <summary>True the first time only: the marker file survives the crash, so the redelivery goes through.</summary>
    public bool CrashNow(Guid messageId)
    {
        var marker = dataFolder.File($"probe-crashed-{messageId:N}");
        if (File.Exists(marker))
        {
            return false;
        }

        File.WriteAllText(marker, "crashed once");
        return true;
    }

    private static int Roll(Guid messageId, int attempt, int salt) =>
        (int)((uint)HashCode.Combine(messageId, attempt, salt) % 100);
}
