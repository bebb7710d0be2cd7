using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Modules.Identity;

/// <summary>The <c>Identity</c> configuration section.</summary>
internal sealed class IdentityModuleOptions
{
    public const string SectionName = "Identity";

    /// <summary>The password appsettings.Development.json ships with; refused anywhere but Development.</summary>
    public const string DevelopmentAdminPassword = "Dev-Admin-Password-1";

    public const int MinPasswordLength = 10;

    /// <summary>PBKDF2 (HMAC-SHA512) iterations for new password hashes; existing hashes keep theirs until the password changes.</summary>
    public const int DefaultPasswordHashIterations = 100_000;
    public const int MaxPasswordLength = 128;

    public AdminAccountOptions Admin { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>
    /// Lowered only by tests and benchmarks that register many accounts; outside Development anything below
    /// <see cref="DefaultPasswordHashIterations"/> is refused at start.
    /// </summary>
    public int PasswordHashIterations { get; set; } = DefaultPasswordHashIterations;

    internal sealed class AdminAccountOptions
    {
        public string Email { get; set; } = string.Empty;

        public string Password { get; set; } = string.Empty;

        public string DisplayName { get; set; } = "Administrator";
    }

    internal sealed class LockoutOptions
    {
        public int MaxFailedAttempts { get; set; } = 5;

        public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);
    }
}

/// <summary>
/// Outside Development the host refuses to start without a real administrator password: set, not the
/// development default, and very hard to guess. It only ever creates the administrator; it never resets
/// an existing one (that is the one-shot <c>reset-admin-password</c> command).
/// </summary>
internal sealed class IdentityModuleOptionsValidator(IHostEnvironment environment) : IValidateOptions<IdentityModuleOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityModuleOptions options)
    {
        var admin = options.Admin;
        if (options.Lockout.MaxFailedAttempts < 1 || options.Lockout.Duration <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Identity:Lockout:MaxFailedAttempts must be at least 1 and Identity:Lockout:Duration positive.");
        }

        if (options.PasswordHashIterations < 1)
        {
            return ValidateOptionsResult.Fail("Identity:PasswordHashIterations must be at least 1.");
        }

        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        if (options.PasswordHashIterations < IdentityModuleOptions.DefaultPasswordHashIterations)
        {
            return ValidateOptionsResult.Fail(
                $"Identity:PasswordHashIterations below {IdentityModuleOptions.DefaultPasswordHashIterations} is for tests in Development only.");
        }

        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            return ValidateOptionsResult.Fail(
                "Identity:Admin:Email and Identity:Admin:Password must be set outside Development (e.g. environment variables Identity__Admin__Email and Identity__Admin__Password).");
        }

        if (admin.Password == IdentityModuleOptions.DevelopmentAdminPassword)
        {
            return ValidateOptionsResult.Fail("Identity:Admin:Password is the development default; set a secret one outside Development.");
        }

        if (admin.Password.Length < IdentityModuleOptions.MinPasswordLength)
        {
            return ValidateOptionsResult.Fail($"Identity:Admin:Password must be at least {IdentityModuleOptions.MinPasswordLength} characters.");
        }

        return Features.Accounts.PasswordStrength.Problem(admin.Password, Features.Accounts.PasswordStrength.AdminMinimumScore, admin.Email, admin.DisplayName) is { } problem
            ? ValidateOptionsResult.Fail($"Identity:Admin:Password is not strong enough for an administrator (a zxcvbn score of {Features.Accounts.PasswordStrength.AdminMinimumScore} is needed). {problem}")
            : ValidateOptionsResult.Success;
    }
}
