using System.ComponentModel.DataAnnotations;

namespace Platform.Modules.Payments.Features.Gateway;

/// <summary>The <c>Payments:Simulator</c> section: the deterministic rules of the default gateway.</summary>
internal sealed class PaymentSimulatorOptions
{
    public const string SectionName = "Payments:Simulator";

    /// <summary>A charge of more than this amount (in any currency) is declined; anything up to it succeeds.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal DeclineAbove { get; set; } = 10_000m;

    /// <summary>How long each gateway call takes, to show what a slow provider does to the saga.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>The simulator's ledger: a SQLite file of its own in the data folder, apart from Payments' database, like a provider's books.</summary>
    [Required]
    public string LedgerFile { get; set; } = "payment-simulator.db";
}
