using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Domain;
using Platform.Shared.Persistence;

namespace Platform.Modules.Catalog.Persistence;

internal abstract class CatalogDbContext(DbContextOptions options) : ModuleDbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    protected override string Schema => "catalog";
}

/// <summary>Carries the SQLite migrations (Persistence/Migrations/Sqlite).</summary>
internal sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options);

/// <summary>Carries the SQL Server migrations (Persistence/Migrations/SqlServer).</summary>
internal sealed class SqlServerCatalogDbContext(DbContextOptions<SqlServerCatalogDbContext> options) : CatalogDbContext(options);
