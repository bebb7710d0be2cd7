using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Modules.Catalog.Persistence.Search;

/// <summary>
/// The full-text index behind product search, which EF Core's model cannot describe, so migrations
/// create it with these statements.
/// <para>
/// SQLite: an FTS5 table of name, SKU and description (Unicode case folding, diacritics removed), keyed by
/// a stable integer per product in <c>ProductSearchKeys</c> (the products table has no integer key, and
/// VACUUM may renumber implicit rowids), kept current by triggers on <c>Products</c>. A migration that
/// rebuilds <c>Products</c> (SQLite alters tables by copying them) drops those triggers: it must call
/// <see cref="CreateSqliteTriggers"/> again; a test fails until it does.
/// </para>
/// <para>
/// SQL Server: a full-text index on the same columns, maintained by the server (change tracking auto). While
/// it exists, SQL Server refuses to alter those columns or the key index <c>PK_Products</c>: a migration that
/// must do so drops the index first (<see cref="DropSqlServer"/>, outside a transaction) and creates it again after.
/// </para>
/// </summary>
internal static class ProductSearchSchema
{
    public const string SqliteTable = "ProductSearch";
    public const string SqliteKeys = "ProductSearchKeys";
    public static readonly string[] SqliteTriggers = ["Products_search_insert", "Products_search_update", "Products_search_delete"];
    public const string SqlServerCatalog = "catalog_search";

    public static void CreateSqlite(MigrationBuilder migrationBuilder)
    {
        // Beside the key, the keys table copies what a search filters and orders by without a category (whether
        // the product is active, its name), so counting and paging thousands of matches never visits Products.
        migrationBuilder.Sql($"""CREATE TABLE "{SqliteKeys}" ("RowId" INTEGER PRIMARY KEY, "ProductId" TEXT NOT NULL UNIQUE, "IsActive" INTEGER NOT NULL, "Name" TEXT NOT NULL);""");
        migrationBuilder.Sql($"""CREATE VIRTUAL TABLE "{SqliteTable}" USING fts5("Name", "Sku", "Description", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');""");
        migrationBuilder.Sql($"""INSERT INTO "{SqliteKeys}" ("ProductId", "IsActive", "Name") SELECT "Id", "IsActive", "Name" FROM "Products";""");
        migrationBuilder.Sql($"""
            INSERT INTO "{SqliteTable}" (rowid, "Name", "Sku", "Description")
            SELECT k."RowId", p."Name", p."Sku", p."Description" FROM "Products" AS p JOIN "{SqliteKeys}" AS k ON k."ProductId" = p."Id";
            """);
        CreateSqliteTriggers(migrationBuilder);
    }

    public static void CreateSqliteTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[0]}" AFTER INSERT ON "Products" BEGIN
                INSERT INTO "{SqliteKeys}" ("ProductId", "IsActive", "Name") VALUES (new."Id", new."IsActive", new."Name");
                INSERT INTO "{SqliteTable}" (rowid, "Name", "Sku", "Description") VALUES ({KeyOf("new")}, new."Name", new."Sku", new."Description");
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[1]}" AFTER UPDATE OF "Name", "Sku", "Description", "IsActive" ON "Products" BEGIN
                UPDATE "{SqliteTable}" SET "Name" = new."Name", "Sku" = new."Sku", "Description" = new."Description"
                WHERE rowid = {KeyOf("new")};
                UPDATE "{SqliteKeys}" SET "IsActive" = new."IsActive", "Name" = new."Name" WHERE "ProductId" = new."Id";
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS "{SqliteTriggers[2]}" AFTER DELETE ON "Products" BEGIN
                DELETE FROM "{SqliteTable}" WHERE rowid = {KeyOf("old")};
                DELETE FROM "{SqliteKeys}" WHERE "ProductId" = old."Id";
            END;
            """);
    }

    private static string KeyOf(string row) => $"""(SELECT "RowId" FROM "{SqliteKeys}" WHERE "ProductId" = {row}."Id")""";

    public static void DropSqlite(MigrationBuilder migrationBuilder)
    {
        foreach (var trigger in SqliteTriggers)
        {
            migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{trigger}";""");
        }

        migrationBuilder.Sql($"""DROP TABLE IF EXISTS "{SqliteTable}";""");
        migrationBuilder.Sql($"""DROP TABLE IF EXISTS "{SqliteKeys}";""");
    }

    // Full-text DDL cannot run inside a user transaction, so each statement guards itself and a re-run after
    // a crash between them is safe. Accents are ignored and no stoplist drops words, as in SQLite; the index
    // is filled in the background (change tracking auto), so a new or renamed product is found a moment later.
    public static void CreateSqlServer(MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql(
            $"IF NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'{SqlServerCatalog}') CREATE FULLTEXT CATALOG [{SqlServerCatalog}] WITH ACCENT_SENSITIVITY = OFF;",
            suppressTransaction: true);
        migrationBuilder.Sql(
            $"IF NOT EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID(N'[{schema}].[Products]')) " +
            $"CREATE FULLTEXT INDEX ON [{schema}].[Products] ([Name], [Sku], [Description]) KEY INDEX [PK_Products] ON [{SqlServerCatalog}] WITH CHANGE_TRACKING AUTO, STOPLIST = OFF;",
            suppressTransaction: true);
    }

    public static void DropSqlServer(MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql($"DROP FULLTEXT INDEX ON [{schema}].[Products];", suppressTransaction: true);
        migrationBuilder.Sql($"DROP FULLTEXT CATALOG [{SqlServerCatalog}];", suppressTransaction: true);
    }
}
