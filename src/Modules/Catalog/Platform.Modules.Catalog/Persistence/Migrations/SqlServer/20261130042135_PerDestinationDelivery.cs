using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Modules.Catalog.Persistence.Migrations.SqlServer
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

            migrationBuilder.AlterColumn<string>(
                name: "TraceParent",
                schema: "catalog",
                table: "OutboxMessages",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "catalog",
                table: "OutboxMessages",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Destination",
                schema: "catalog",
                table: "OutboxMessages",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "*");

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "catalog",
                table: "OutboxMessages",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "catalog",
                table: "OutboxMessages",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "TraceParent",
                schema: "catalog",
                table: "InboxMessages",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "catalog",
                table: "InboxMessages",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "catalog",
                table: "InboxMessages",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "catalog",
                table: "InboxMessages",
                type: "datetimeoffset",
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

            migrationBuilder.AlterColumn<string>(
                name: "TraceParent",
                schema: "catalog",
                table: "OutboxMessages",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(1024)",
                oldMaxLength: 1024,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "TraceParent",
                schema: "catalog",
                table: "InboxMessages",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(1024)",
                oldMaxLength: 1024,
                oldNullable: true);

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
