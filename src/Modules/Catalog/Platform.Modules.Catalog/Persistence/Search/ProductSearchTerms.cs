using System.Text;

namespace Platform.Modules.Catalog.Persistence.Search;

/// <summary>
/// What a user typed into product search, as full-text terms: every word must match the start of a word
/// in the name, SKU or description, in any order and any of those fields. Letters and digits make words;
/// everything else separates them, so user text can never become query syntax. A word such as "X-200"
/// is the phrase "x 200", so it finds "X-200" and "x 200" alike.
/// </summary>
internal sealed class ProductSearchTerms
{
    // More words narrow the result no further in practice and each costs an index lookup.
    public const int MaxWords = 10;

    private readonly IReadOnlyList<IReadOnlyList<string>> words;

    private ProductSearchTerms(IReadOnlyList<IReadOnlyList<string>> words) => this.words = words;

    /// <summary>True when the text holds no letter or digit: such a search matches nothing.</summary>
    public bool IsEmpty => words.Count == 0;

    public static ProductSearchTerms Parse(string? text)
    {
        var words = (text ?? string.Empty)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(Tokens)
            .Where(tokens => tokens.Count > 0)
            .Take(MaxWords)
            .ToList();
        return new ProductSearchTerms(words);
    }

    /// <summary>FTS5 syntax: <c>"x 200"* "kettle"*</c>, phrases joined by an implicit AND, the last token of each a prefix.</summary>
    public string ToFts5() => string.Join(' ', words.Select(tokens => $"\"{string.Join(' ', tokens)}\"*"));

    /// <summary>SQL Server CONTAINS syntax: <c>"x 200*" AND "kettle*"</c>.</summary>
    public string ToSqlServer() => string.Join(" AND ", words.Select(tokens => $"\"{string.Join(' ', tokens)}*\""));

    private static List<string> Tokens(string word)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in word)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
