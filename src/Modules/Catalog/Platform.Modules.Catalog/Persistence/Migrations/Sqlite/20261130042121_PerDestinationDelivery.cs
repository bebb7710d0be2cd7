using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Modules.Catalog.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class PerDestinationDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_MessageId",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_DueAt",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "catalog",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Destination",
                schema: "catalog",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "*");

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "catalog",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "catalog",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "catalog",
                table: "InboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "catalog",
                table: "InboxMessages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "catalog",
                table: "InboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId_Destination",
                schema: "catalog",
                table: "OutboxMessages",
                columns: new[] { "MessageId", "Destination" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_Destination_Sequence",
                schema: "catalog",
                table: "OutboxMessages",
                columns: new[] { "ProcessedAt", "DeadLetteredAt", "Destination", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_MessageId_Destination",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_Destination_Sequence",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "Destination",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardReason",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                schema: "catalog",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                schema: "catalog",
                table: "InboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardReason",
                schema: "catalog",
                table: "InboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                schema: "catalog",
                table: "InboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId",
                schema: "catalog",
                table: "OutboxMessages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_DueAt",
                schema: "catalog",
                table: "OutboxMessages",
                columns: new[] { "ProcessedAt", "DeadLetteredAt", "DueAt" });
        }
    }
}
