using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActivityHashChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "Activity",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "Activity",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "Activity",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Number the entries written before the chain existed, per account, in the order they were written;
            // their hashes are filled in at start (ActivityChain.BackfillAsync).
            migrationBuilder.Sql(
                "UPDATE \"Activity\" SET \"Sequence\" = (SELECT COUNT(*) FROM \"Activity\" AS a2 " +
                "WHERE a2.\"AccountId\" = \"Activity\".\"AccountId\" AND a2.\"Id\" <= \"Activity\".\"Id\");");

            migrationBuilder.CreateIndex(
                name: "IX_Activity_AccountId_Sequence",
                table: "Activity",
                columns: new[] { "AccountId", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activity_AccountId_Sequence",
                table: "Activity");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "Activity");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "Activity");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Activity");
        }
    }
}
