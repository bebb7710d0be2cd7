using Microsoft.EntityFrameworkCore.Migrations;
using Platform.Modules.Catalog.Persistence.Search;

#nullable disable

namespace Platform.Modules.Catalog.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    internal partial class ProductSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ProductSearchSchema.CreateSqlServer(migrationBuilder, "catalog");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ProductSearchSchema.DropSqlServer(migrationBuilder, "catalog");
        }
    }
}
