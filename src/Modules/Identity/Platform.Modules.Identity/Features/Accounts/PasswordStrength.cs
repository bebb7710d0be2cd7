namespace Platform.Modules.Identity.Features.Accounts;

/// <summary>
/// How hard a password is to guess, estimated with zxcvbn (dictionaries of common passwords, names and
/// words, keyboard patterns, repeats, sequences and dates): a score from 0 (instant) to 4 (very hard).
/// Customers need 3, the configured administrator 4.
/// </summary>
internal static class PasswordStrength
{
    public const int CustomerMinimumScore = 3;
    public const int AdminMinimumScore = 4;

    /// <summary>Why the password is too easy to guess, in the estimator's terms; null when it is strong enough.</summary>
    public static string? Problem(string? password, int minimumScore, params string?[] userInputs)
    {
        if (string.IsNullOrEmpty(password))
        {
            return null;
        }

        var result = Zxcvbn.Zxcvbn.MatchPassword(password, userInputs.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i!));
        if (result.Score >= minimumScore)
        {
            return null;
        }

        var parts = result.MatchSequence
            .Where(m => m.Pattern != "bruteforce")
            .Select(m => $"{Describe(m.Pattern)} ('{m.Token}')")
            .Distinct()
            .Take(3)
            .ToList();
        var made = parts.Count == 0 ? string.Empty : $": it is built from {string.Join(", ", parts)}";
        return $"Too easy to guess (it could be cracked in {result.CrackTimeDisplay}){made}. Use four or more unrelated words, or a longer mix of words, digits and symbols.";
    }

    private static string Describe(string pattern) => pattern switch
    {
        "dictionary" => "a common word or password",
        "repeat" => "a repetition",
        "sequence" => "a sequence",
        "spatial" => "a keyboard pattern",
        "date" => "a date",
        "digits" => "digits",
        "year" => "a year",
        _ => "a guessable part",
    };
}
