using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
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
                    KeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    ReadAt = table.Column<long>(type: "bigint", nullable: false),
                    Unit = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    UsedThisMonth = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    ProviderLimit = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    UsedAgainstLimit = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    LimitPeriod = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ResetsAt = table.Column<long>(type: "bigint", nullable: true)
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
