using System.Text;

namespace Platform.Modules.Catalog.Persistence.Search;

/// <summary>
/// What a user typed into product search, as full-text terms: every word must match the start of a word
/// in the name, SKU or description, in any order and any of those fields. Each word goes to the index as
/// one quoted phrase, so the index's own tokenizer splits it exactly as it split the stored text ("X-200"
/// becomes the phrase "x 200") and nothing the user types can become query syntax: the only characters
/// with a meaning inside a quoted phrase, the quote itself and '*', become spaces.
/// </summary>
internal sealed class ProductSearchTerms
{
    // More words narrow the result no further in practice and each costs an index lookup.
    public const int MaxWords = 10;

    private readonly IReadOnlyList<string> words;

    private ProductSearchTerms(IReadOnlyList<string> words) => this.words = words;

    /// <summary>True when the text holds no letter or digit: such a search matches nothing.</summary>
    public bool IsEmpty => words.Count == 0;

    public static ProductSearchTerms Parse(string? text)
    {
        var words = (text ?? string.Empty)
            .Normalize(NormalizationForm.FormC)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Replace('"', ' ').Replace('*', ' ').Trim())
            .Where(word => word.EnumerateRunes().Any(r => Rune.IsLetterOrDigit(r) || Rune.IsNumber(r)))
            .Take(MaxWords)
            .ToList();
        return new ProductSearchTerms(words);
    }

    /// <summary>FTS5 syntax: <c>"x-200"* "kettle"*</c>, phrases joined by an implicit AND, the last token of each a prefix.</summary>
    public string ToFts5() => string.Join(' ', words.Select(word => $"\"{word}\"{Prefix(word)}"));

    /// <summary>SQL Server CONTAINS syntax: <c>"x-200*" AND "kettle*"</c>.</summary>
    public string ToSqlServer() => string.Join(" AND ", words.Select(word => $"\"{word}{Prefix(word)}\""));

    // A one-character word matches whole words only: as a prefix it would expand to most of the index.
    private static string Prefix(string word) => word.EnumerateRunes().Count() > 1 ? "*" : string.Empty;
}
