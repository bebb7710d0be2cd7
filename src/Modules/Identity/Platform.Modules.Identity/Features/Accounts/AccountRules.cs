using FluentValidation;
using Platform.Modules.Identity.Domain;
using Platform.Shared.Api;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class AccountRules
{
    public static IRuleBuilderOptions<T, string> AccountEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty()
            .MaximumLength(EmailAddress.MaxLength)
            .Must(EmailAddress.IsValid)
            .WithMessage("Must be a plain e-mail address such as ann@example.com, without spaces or control characters.");

    public static IRuleBuilderOptions<T, string> DisplayName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(User.DisplayNameMaxLength).PlainText();

    /// <summary>A new password: long enough, not the e-mail address, and hard to guess (zxcvbn score 3 or more).</summary>
    public static IRuleBuilderOptions<T, string> NewPassword<T>(this IRuleBuilder<T, string> rule, Func<T, string?> email, Func<T, string?>? name = null) =>
        rule.NotEmpty()
            .MinimumLength(IdentityModuleOptions.MinPasswordLength)
            .MaximumLength(IdentityModuleOptions.MaxPasswordLength)
            .Must((request, password) => !string.Equals(password?.Trim(), email(request)?.Trim(), StringComparison.OrdinalIgnoreCase))
            .WithMessage("The password must not be the email address.")
            .Must((request, password) => PasswordStrength.Problem(password, PasswordStrength.CustomerMinimumScore, email(request), name?.Invoke(request)) is null)
            .WithMessage((request, password) => PasswordStrength.Problem(password, PasswordStrength.CustomerMinimumScore, email(request), name?.Invoke(request))!);
}
