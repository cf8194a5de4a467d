using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class InstallState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InstallState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    DueDatesComputedIn = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallState", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InstallState");
        }
    }
}
