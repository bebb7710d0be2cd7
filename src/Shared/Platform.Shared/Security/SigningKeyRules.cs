namespace Platform.Shared.Security;

/// <summary>
/// What a signing key must look like: base64 that decodes to at least 32 bytes, with at least 16
/// distinct byte values, no byte repeated more than 4 times in a row, and no 5-byte sequence that
/// occurs twice. Random keys pass with certainty; typed or patterned ones (32 × 'a', zeros, a short
/// pattern repeated) do not.
/// </summary>
public static class SigningKeyRules
{
    public const int MinimumBytes = 32;
    public const int MinimumDistinctBytes = 16;
    public const int LongestRun = 4;

    /// <summary>The key's bytes, or null with the reason it is refused.</summary>
    public static byte[]? Decode(string? key, out string? problem)
    {
        problem = null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key?.Trim() ?? string.Empty);
        }
        catch (FormatException)
        {
            problem = "is not base64";
            return null;
        }

        if (bytes.Length < MinimumBytes)
        {
            problem = $"decodes to {bytes.Length} bytes, fewer than {MinimumBytes}";
        }
        else if (bytes.Distinct().Count() < MinimumDistinctBytes)
        {
            problem = $"has fewer than {MinimumDistinctBytes} distinct byte values, so it is not random";
        }
        else if (LongestRunOf(bytes) > LongestRun)
        {
            problem = $"repeats one byte more than {LongestRun} times in a row, so it is not random";
        }
        else if (HasRepeatedSequence(bytes, LongestRun + 1))
        {
            problem = $"repeats a sequence of {LongestRun + 1} bytes, so it is not random";
        }

        return problem is null ? bytes : null;
    }

    private static int LongestRunOf(byte[] bytes)
    {
        var longest = 1;
        var run = 1;
        for (var i = 1; i < bytes.Length; i++)
        {
            run = bytes[i] == bytes[i - 1] ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    private static bool HasRepeatedSequence(byte[] bytes, int length)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + length <= bytes.Length; i++)
        {
            if (!seen.Add(Convert.ToHexString(bytes, i, length)))
            {
                return true;
            }
        }

        return false;
    }
}
