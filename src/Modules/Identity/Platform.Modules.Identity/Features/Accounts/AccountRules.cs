using FluentValidation;
using Platform.Modules.Identity.Domain;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class AccountRules
{
    public static IRuleBuilderOptions<T, string> AccountEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(EmailAddress.MaxLength).EmailAddress();

    public static IRuleBuilderOptions<T, string> NewPassword<T>(this IRuleBuilder<T, string> rule, Func<T, string?> email) =>
        rule.NotEmpty()
            .MinimumLength(IdentityModuleOptions.MinPasswordLength)
            .MaximumLength(IdentityModuleOptions.MaxPasswordLength)
            .Must((request, password) => !string.Equals(password?.Trim(), email(request)?.Trim(), StringComparison.OrdinalIgnoreCase))
            .WithMessage("The password must not be the email address.");
}
