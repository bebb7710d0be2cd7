using Platform.Modules.Catalog.Persistence.Search;

namespace Platform.UnitTests.Catalog;

public sealed class ProductSearchTermsTests
{
    [Theory]
    [InlineData("kettle", "\"kettle\"*", "\"kettle*\"")]
    [InlineData("  Blue   KETTLE ", "\"Blue\"* \"KETTLE\"*", "\"Blue*\" AND \"KETTLE*\"")]
    [InlineData("X-200", "\"X-200\"*", "\"X-200*\"")]
    [InlineData("\"ab\" OR cd* NEAR(x", "\"ab\"* \"OR\"* \"cd\"* \"NEAR(x\"*", "\"ab*\" AND \"OR*\" AND \"cd*\" AND \"NEAR(x*\"")]
    [InlineData("a b2", "\"a\" \"b2\"*", "\"a\" AND \"b2*\"")]
    [InlineData("ab\"cd", "\"ab cd\"*", "\"ab cd*\"")]
    [InlineData("café", "\"café\"*", "\"café*\"")]
    [InlineData("e\u0301tude", "\"\u00e9tude\"*", "\"\u00e9tude*\"")]
    public void Words_become_quoted_phrases_so_user_text_is_never_query_syntax(string text, string fts5, string sqlServer)
    {
        var terms = ProductSearchTerms.Parse(text);

        terms.IsEmpty.Should().BeFalse();
        terms.ToFts5().Should().Be(fts5);
        terms.ToSqlServer().Should().Be(sqlServer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("%_ \"* -")]
    public void Text_without_letters_or_digits_is_empty(string text) => ProductSearchTerms.Parse(text).IsEmpty.Should().BeTrue();

    [Fact]
    public void At_most_ten_words_are_used() =>
        ProductSearchTerms.Parse(string.Join(' ', Enumerable.Range(1, 15).Select(i => $"w{i}"))).ToFts5().Split(' ').Should().HaveCount(ProductSearchTerms.MaxWords);
}
