using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Modules.Notifications.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class PerDestinationDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Handlers are keyed by a stable name now, not their class name: keep the old rows recognisable.
            migrationBuilder.Sql("UPDATE \"InboxMessages\" SET \"Handler\" = 'notifications.welcome' WHERE \"Handler\" = 'Platform.Modules.Notifications.Features.Welcome.SendWelcomeNotification';");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_MessageId",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_DueAt",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "notifications",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Destination",
                schema: "notifications",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "*");

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "notifications",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "notifications",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                schema: "notifications",
                table: "InboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscardReason",
                schema: "notifications",
                table: "InboxMessages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DiscardedAt",
                schema: "notifications",
                table: "InboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId_Destination",
                schema: "notifications",
                table: "OutboxMessages",
                columns: new[] { "MessageId", "Destination" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_Destination_Sequence",
                schema: "notifications",
                table: "OutboxMessages",
                columns: new[] { "ProcessedAt", "DeadLetteredAt", "Destination", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"InboxMessages\" SET \"Handler\" = 'Platform.Modules.Notifications.Features.Welcome.SendWelcomeNotification' WHERE \"Handler\" = 'notifications.welcome';");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_MessageId_Destination",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_Destination_Sequence",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "Destination",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardReason",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                schema: "notifications",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                schema: "notifications",
                table: "InboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardReason",
                schema: "notifications",
                table: "InboxMessages");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                schema: "notifications",
                table: "InboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId",
                schema: "notifications",
                table: "OutboxMessages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ProcessedAt_DeadLetteredAt_DueAt",
                schema: "notifications",
                table: "OutboxMessages",
                columns: new[] { "ProcessedAt", "DeadLetteredAt", "DueAt" });
        }
    }
}
