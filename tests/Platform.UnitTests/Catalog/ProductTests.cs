using Platform.Modules.Catalog.Domain;
using Platform.Shared.Errors;

namespace Platform.UnitTests.Catalog;

public sealed class ProductTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_product_is_active_with_an_upper_case_sku_and_trimmed_text()
    {
        var product = Product.Create(" ab-1 ", " Lamp ", " Bright ", " Home ", Money.Of(10m, "EUR"), Now);

        product.Sku.Should().Be("AB-1");
        (product.Name, product.Description, product.Category).Should().Be(("Lamp", "Bright", "Home"));
        product.IsActive.Should().BeTrue();
        product.Version.Should().Be(1);
        product.CreatedAt.Should().Be(Now);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("_lead")]
    public void An_invalid_sku_breaks_the_rule(string sku)
    {
        var act = () => Product.Create(sku, "n", null, "c", Money.Of(1m, "EUR"), Now);

        act.Should().Throw<BusinessRuleException>();
    }

    [Fact]
    public void Update_reports_whether_the_price_changed_and_bumps_the_version()
    {
        var product = Product.Create("A", "n", null, "c", Money.Of(1m, "EUR"), Now);

        product.Update("n", null, "c", Money.Of(1m, "EUR"), Now.AddMinutes(1)).Should().BeFalse();
        product.Update("n", null, "c", Money.Of(2m, "EUR"), Now.AddMinutes(2)).Should().BeTrue();
        product.Version.Should().Be(3);
        product.UpdatedAt.Should().Be(Now.AddMinutes(2));
    }

    [Fact]
    public void Deactivating_twice_changes_nothing_the_second_time()
    {
        var product = Product.Create("A", "n", null, "c", Money.Of(1m, "EUR"), Now);
        product.Deactivate(Now.AddMinutes(1));
        var version = product.Version;

        product.Deactivate(Now.AddMinutes(2));

        product.IsActive.Should().BeFalse();
        product.Version.Should().Be(version);
        product.UpdatedAt.Should().Be(Now.AddMinutes(1));
    }

    [Fact]
    public void Names_longer_than_the_limit_break_the_rule()
    {
        var act = () => Product.Create("A", new string('x', Product.NameMaxLength + 1), null, "c", Money.Of(1m, "EUR"), Now);

        act.Should().Throw<BusinessRuleException>();
    }
}
