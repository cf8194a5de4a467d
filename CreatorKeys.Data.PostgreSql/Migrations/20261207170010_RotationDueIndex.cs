using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
{
    /// <summary>
    /// PostgreSQL's twin of SQLite's RotationDueIndex, written by hand: the rotation page's "keys by when they are due"
    /// order (due date, then name under the "NOCASE" collation, then id) as an index for the whole vault and one per
    /// environment, so a page reads its rows in order instead of sorting every key in use. Not in the model: a later
    /// migration that rebuilds ApiKeys must make them again (PostgreSqlQueryPlanTests checks).
    /// </summary>
    [DbContext(typeof(CreatorKeysDbContext))]
    [Migration("20261207170010_RotationDueIndex")]
    public partial class RotationDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_DueOrder" ON "ApiKeys" ("AccountId", "Status", "DueOn", "Label" COLLATE "NOCASE", "Id");
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_DueOrder_Environment" ON "ApiKeys" ("AccountId", "Environment", "Status", "DueOn", "Label" COLLATE "NOCASE", "Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_ApiKeys_DueOrder_Environment";
                DROP INDEX "IX_ApiKeys_DueOrder";
                """);
        }
    }
}
