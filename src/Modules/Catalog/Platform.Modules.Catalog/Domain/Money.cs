using Platform.Shared.Errors;

namespace Platform.Modules.Catalog.Domain;

/// <summary>A positive amount in an ISO 4217 currency, with at most two decimals.</summary>
internal sealed record Money
{
    public const decimal MaxAmount = 1_000_000_000m;

    private Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }

    public static Money Of(decimal amount, string currency)
    {
        if (!IsValidAmount(amount))
        {
            throw new BusinessRuleException($"A price must be greater than 0, at most {MaxAmount}, with at most two decimals.");
        }

        var code = currency?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!Currencies.IsIso4217(code))
        {
            throw new BusinessRuleException($"'{currency}' is not an ISO 4217 currency code.");
        }

        return new Money(amount, code);
    }

    public static bool IsValidAmount(decimal amount) =>
        amount > 0 && amount <= MaxAmount && decimal.Round(amount, 2) == amount;
}
