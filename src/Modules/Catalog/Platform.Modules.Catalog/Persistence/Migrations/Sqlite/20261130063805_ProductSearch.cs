using Microsoft.EntityFrameworkCore.Migrations;
using Platform.Modules.Catalog.Persistence.Search;

#nullable disable

namespace Platform.Modules.Catalog.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class ProductSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ProductSearchSchema.CreateSqlite(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ProductSearchSchema.DropSqlite(migrationBuilder);
        }
    }
}
