using Platform.Modules.Catalog.Domain;
using Platform.Shared.Errors;

namespace Platform.UnitTests.Catalog;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("0.01")]
    [InlineData("19.9")]
    [InlineData("1000000000")]
    public void Positive_amounts_with_at_most_two_decimals_are_valid(string amount) =>
        Money.IsValidAmount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).Should().BeTrue();

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1000000000.01")]
    public void Zero_negative_over_precise_or_huge_amounts_are_invalid(string amount) =>
        Money.IsValidAmount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).Should().BeFalse();

    [Fact]
    public void Currency_codes_are_normalised_to_upper_case()
    {
        Money.Of(5m, " chf ").Should().Be(Money.Of(5m, "CHF"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("EURO")]
    [InlineData("ABC")]
    public void Unknown_currencies_break_the_rule(string currency)
    {
        var act = () => Money.Of(1m, currency);

        act.Should().Throw<BusinessRuleException>();
    }
}
