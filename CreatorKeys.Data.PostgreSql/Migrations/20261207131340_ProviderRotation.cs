using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
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
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProviderCreateStartedAt",
                table: "Rotations",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderCreatedKeyId",
                table: "Rotations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderCreatedProjectId",
                table: "Rotations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsManagementKey",
                table: "ApiKeys",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ProviderKeyId",
                table: "ApiKeys",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderProjectId",
                table: "ApiKeys",
                type: "character varying(200)",
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
