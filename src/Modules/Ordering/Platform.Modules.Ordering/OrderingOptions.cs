using System.ComponentModel.DataAnnotations;

namespace Platform.Modules.Ordering;

/// <summary>The <c>Ordering</c> configuration section: the saga's clock.</summary>
internal sealed class OrderingOptions
{
    public const string SectionName = "Ordering";

    /// <summary>An order with no outcome this long after placement is cancelled as TimedOut, so its stock is never held forever.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan OutcomeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often overdue orders are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan TimeoutSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
