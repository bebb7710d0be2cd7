using Microsoft.Data.Sqlite;

namespace Platform.Benchmarks.Api;

/// <summary>
/// Grows the catalog straight in its SQLite file while the host is stopped (100k products through the API
/// would measure the write path, not search). The search index triggers run as they would for any insert.
/// Every product gets ordinary words; <see cref="CommonWord"/> goes into every tenth product's description,
/// and <see cref="SelectiveWord"/> into exactly <see cref="SelectiveMatches"/> names.
/// </summary>
internal static class CatalogSeed
{
    public const string CommonWord = "stainless";
    public const string SelectiveWord = "zircon";
    public const int SelectiveMatches = 5;
    public const int CommonEvery = 10;

    private static readonly string[] Adjectives = ["blue", "large", "compact", "classic", "rugged", "silent", "smart", "travel", "premium", "basic"];
    private static readonly string[] Nouns = ["kettle", "lamp", "drill", "chair", "backpack", "speaker", "mug", "jacket", "router", "blender", "desk", "camera"];

    public static async Task<int> GrowAsync(string catalogDb, int from, int to)
    {
        await using var connection = new SqliteConnection($"Data Source={catalogDb}");
        await connection.OpenAsync();
        await using (var clear = connection.CreateCommand())
        {
            // The selective word stays in exactly five products at every size.
            clear.CommandText = "DELETE FROM Products WHERE Sku LIKE 'SEED-SEL-%'";
            await clear.ExecuteNonQueryAsync();
        }

        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Products (Id, Sku, Name, Description, Category, IsActive, CreatedAt, UpdatedAt, Version, PriceAmount, PriceCurrency)
            VALUES ($id, $sku, $name, $description, 'Seeded', 1, '2026-11-30 00:00:00+00:00', '2026-11-30 00:00:00+00:00', 1, '19.90', 'EUR')
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var sku = insert.Parameters.Add("$sku", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var description = insert.Parameters.Add("$description", SqliteType.Text);

        for (var i = from; i < to - SelectiveMatches; i++)
        {
            id.Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
            sku.Value = $"SEED-{i:D7}";
            name.Value = $"{Adjectives[i % Adjectives.Length]} {Nouns[i / Adjectives.Length % Nouns.Length]} {i}";
            description.Value = i % CommonEvery == 0 ? $"A {CommonWord} steel model, item {i}" : $"A sturdy model, item {i}";
            await insert.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < SelectiveMatches; i++)
        {
            id.Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
            sku.Value = $"SEED-SEL-{i}";
            name.Value = $"{SelectiveWord} pendant {i}";
            description.Value = "A sturdy model";
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return to - SelectiveMatches;
    }
}
