using System.Text.RegularExpressions;

namespace Platform.Modules.Identity.Domain;

internal static partial class EmailAddress
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    /// <summary>The form used for uniqueness and look-ups: trimmed, upper case, so any letter case signs in.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>
    /// A plain address: printable ASCII with no spaces, a local part of at most 64 characters without
    /// leading, trailing or doubled dots, and a domain of dot-separated labels. Nothing that could break
    /// a log line or a mail header gets through.
    /// </summary>
    public static bool IsValid(string? email)
    {
        if (email is null || email.Length > MaxLength)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        return at is > 0 and <= MaxLocalPartLength && Pattern().IsMatch(email) && !email[..at].Contains("..", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Pattern();
}
