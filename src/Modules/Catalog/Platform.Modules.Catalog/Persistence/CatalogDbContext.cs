using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Domain;
using Platform.Modules.Catalog.Persistence.Search;
using Platform.Shared.Persistence;

namespace Platform.Modules.Catalog.Persistence;

internal abstract class CatalogDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    protected override string Schema => "catalog";

    /// <summary>
    /// The products whose name, SKU or description match the terms, through the provider's full-text index;
    /// with their relevance when <paramref name="ranked"/> (a cost per match on SQLite: counting and ordering
    /// by name need none).
    /// </summary>
    public abstract IQueryable<ProductMatch> MatchProducts(ProductSearchTerms terms, bool ranked = false);
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options)
{
    // bm25 is lower-is-better; a name match weighs most, then the SKU, then the description.
    public override IQueryable<ProductMatch> MatchProducts(ProductSearchTerms terms, bool ranked = false) => ranked
        ? Database.SqlQuery<ProductMatch>($"""
            SELECT k."ProductId" AS "ProductId", k."IsActive" AS "IsActive", k."Name" AS "Name", -bm25("ProductSearch", 10.0, 5.0, 1.0) AS "Score"
            FROM "ProductSearch" JOIN "ProductSearchKeys" AS k ON k."RowId" = "ProductSearch".rowid
            WHERE "ProductSearch" MATCH {terms.ToFts5()}
            """)
        : Database.SqlQuery<ProductMatch>($"""
            SELECT k."ProductId" AS "ProductId", k."IsActive" AS "IsActive", k."Name" AS "Name", 0.0 AS "Score"
            FROM "ProductSearch" JOIN "ProductSearchKeys" AS k ON k."RowId" = "ProductSearch".rowid
            WHERE "ProductSearch" MATCH {terms.ToFts5()}
            """);
}

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerCatalogDbContext(DbContextOptions<SqlServerCatalogDbContext> options) : CatalogDbContext(options)
{
    // CONTAINSTABLE ranks every match anyway.
    public override IQueryable<ProductMatch> MatchProducts(ProductSearchTerms terms, bool ranked = false) => Database.SqlQuery<ProductMatch>($"""
        SELECT ft.[KEY] AS [ProductId], p.[IsActive] AS [IsActive], p.[Name] AS [Name], CAST(ft.[RANK] AS float) AS [Score]
        FROM CONTAINSTABLE([catalog].[Products], ([Name], [Sku], [Description]), {terms.ToSqlServer()}) AS ft
        JOIN [catalog].[Products] AS p ON p.[Id] = ft.[KEY]
        """);
}
