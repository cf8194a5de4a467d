using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeySpend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KeySpends",
                columns: table => new
                {
                    KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    UsedThisMonth = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    ProviderLimit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    UsedAgainstLimit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    LimitPeriod = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ResetsAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeySpends", x => x.KeyId);
                    table.ForeignKey(
                        name: "FK_KeySpends_ApiKeys_KeyId",
                        column: x => x.KeyId,
                        principalTable: "ApiKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KeySpends_AccountId",
                table: "KeySpends",
                column: "AccountId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeySpends");
        }
    }
}
