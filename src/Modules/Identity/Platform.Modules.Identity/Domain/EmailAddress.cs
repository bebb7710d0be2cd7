namespace Platform.Modules.Identity.Domain;

internal static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The form used for uniqueness and look-ups: trimmed, upper case, so any letter case signs in.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();
}
