using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProviderRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProviderCreateName",
                table: "Rotations",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProviderCreateStartedAt",
                table: "Rotations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderCreatedKeyId",
                table: "Rotations",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderCreatedProjectId",
                table: "Rotations",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsManagementKey",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ProviderKeyId",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderProjectId",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProviderCreateName",
                table: "Rotations");

            migrationBuilder.DropColumn(
                name: "ProviderCreateStartedAt",
                table: "Rotations");

            migrationBuilder.DropColumn(
                name: "ProviderCreatedKeyId",
                table: "Rotations");

            migrationBuilder.DropColumn(
                name: "ProviderCreatedProjectId",
                table: "Rotations");

            migrationBuilder.DropColumn(
                name: "IsManagementKey",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ProviderKeyId",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ProviderProjectId",
                table: "ApiKeys");
        }
    }
}
