using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class NearCapNotice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "NearCapNoticeMonth",
                table: "KeySpends",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NearCapNoticeMonth",
                table: "KeySpends");
        }
    }
}
