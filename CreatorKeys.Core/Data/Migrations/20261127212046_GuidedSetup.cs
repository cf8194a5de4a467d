using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class GuidedSetup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "MonthlyBudgetUsd",
                table: "AspNetUsers",
                type: "TEXT",
                precision: 12,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CapSetAtProvider",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "MonthlyCapUsd",
                table: "ApiKeys",
                type: "TEXT",
                precision: 12,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderId",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Current");

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Keys stored before this migration were last changed when they were created.
            migrationBuilder.Sql("UPDATE ApiKeys SET UpdatedAt = CreatedAt;");

            migrationBuilder.CreateTable(
                name: "CustomProviders",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    KeysPageUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    BillingPageUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomProviders", x => new { x.AccountId, x.Id });
                    table.ForeignKey(
                        name: "FK_CustomProviders_AspNetUsers_AccountId",
                        column: x => x.AccountId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SetupProgress",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Step = table.Column<int>(type: "INTEGER", nullable: false),
                    ProviderIds = table.Column<string>(type: "TEXT", nullable: false),
                    SkippedSlots = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SetupProgress", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_SetupProgress_AspNetUsers_AccountId",
                        column: x => x.AccountId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomProviders");

            migrationBuilder.DropTable(
                name: "SetupProgress");

            migrationBuilder.DropColumn(
                name: "MonthlyBudgetUsd",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "CapSetAtProvider",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "MonthlyCapUsd",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ProviderId",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "ApiKeys");
        }
    }
}
