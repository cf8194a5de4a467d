using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <summary>
    /// The rotation page's "keys by when they are due" order (soonest due first, then name in any case) as two
    /// indexes, one for the whole vault and one per environment, so a page of 25 reads 25 index entries instead of
    /// sorting every key in use of the account (issue 23 §5). Written by hand, like VaultListOrderIndex: EF Core cannot
    /// declare a NOCASE column on a SQLite index, so they are not in the model and a later migration that rebuilds the
    /// ApiKeys table must create them again (QueryPlanTests fails if they are gone). PostgreSQL's twin has the same name.
    /// </summary>
    [DbContext(typeof(CreatorKeysDbContext))]
    [Migration("20261207170000_RotationDueIndex")]
    public partial class RotationDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_DueOrder" ON "ApiKeys" ("AccountId", "Status", "DueOn", "Label" COLLATE NOCASE, "Id");
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_DueOrder_Environment" ON "ApiKeys" ("AccountId", "Environment", "Status", "DueOn", "Label" COLLATE NOCASE, "Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_ApiKeys_DueOrder_Environment";""");
            migrationBuilder.Sql("""DROP INDEX "IX_ApiKeys_DueOrder";""");
        }
    }
}
