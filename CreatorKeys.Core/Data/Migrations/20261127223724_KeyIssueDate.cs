using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyIssueDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "IssuedAt",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: true);

            // Keys stored so far were added by hand as new keys: they were issued when they were stored.
            migrationBuilder.Sql("UPDATE ApiKeys SET IssuedAt = CreatedAt;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IssuedAt",
                table: "ApiKeys");
        }
    }
}
