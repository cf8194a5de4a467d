using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <summary>
    /// The vault page's order (provider, then name, any case, within one account's environment) as an index, so a
    /// page of 25 reads 25 index entries instead of sorting every key of the environment. EF Core cannot declare a
    /// per-column collation on a SQLite index, so this index is written here and is not in the model: a later
    /// migration that rebuilds the ApiKeys table must create it again (QueryPlanTests fails if it is gone).
    /// </summary>
    public partial class VaultListOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_VaultListOrder" ON "ApiKeys" ("AccountId", "Environment", "ProviderName" COLLATE NOCASE, "Label" COLLATE NOCASE, "Id", "Status");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_ApiKeys_VaultListOrder";""");
        }
    }
}
