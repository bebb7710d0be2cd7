using FluentValidation;
using Platform.Shared.Api;
using Platform.Modules.Catalog.Domain;

namespace Platform.Modules.Catalog.Features.Products;

/// <summary>Field rules shared by the use cases that write a product, so create and update agree.</summary>
internal static class ProductRules
{
    public static IRuleBuilderOptions<T, string> ProductName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(Product.NameMaxLength).PlainText();

    public static IRuleBuilderOptions<T, string?> ProductDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Product.DescriptionMaxLength);

    public static IRuleBuilderOptions<T, string> ProductCategory<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(Product.CategoryMaxLength).PlainText();

    public static void ProductPrice<T>(this IRuleBuilder<T, MoneyDto> rule) =>
        rule.NotNull().SetValidator(new MoneyValidator());

    private sealed class MoneyValidator : AbstractValidator<MoneyDto>
    {
        public MoneyValidator()
        {
            RuleFor(m => m.Amount)
                .Must(Money.IsValidAmount)
                .WithMessage($"Must be greater than 0 and at most {Money.MaxAmount}, with at most two decimals.");
            RuleFor(m => m.Currency)
                .NotEmpty()
                .Must(Currencies.IsIso4217)
                .WithMessage("Must be an ISO 4217 currency code, such as EUR or USD.");
        }
    }
}
