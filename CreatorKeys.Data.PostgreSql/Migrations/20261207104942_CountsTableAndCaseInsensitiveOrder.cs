using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Data.PostgreSql.Migrations
{
    /// <summary>
    /// Written by hand (EF Core cannot declare these), PostgreSQL's versions of SQLite's ApiKeyCountsTable and
    /// VaultListOrderIndex migrations:
    /// - a case-insensitive collation named "NOCASE" (ICU, nondeterministic), so the queries' COLLATE NOCASE orders the
    ///   same on both engines;
    /// - the vault page's order as an index with that collation;
    /// - the per-account key counts table, kept by one trigger function on ApiKeys (insert, delete — cascades too — and
    ///   a change of account, environment or status).
    /// Not in the model: a later migration that rebuilds ApiKeys must make them again (PostgreSqlSchemaTests checks).
    /// </summary>
    [DbContext(typeof(CreatorKeysDbContext))]
    [Migration("20261207104942_CountsTableAndCaseInsensitiveOrder")]
    public partial class CountsTableAndCaseInsensitiveOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE COLLATION IF NOT EXISTS "NOCASE" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_ApiKeys_VaultListOrder" ON "ApiKeys" ("AccountId", "Environment", "ProviderName" COLLATE "NOCASE", "Label" COLLATE "NOCASE", "Id") INCLUDE ("Status");
                """);
            migrationBuilder.Sql("""
                CREATE TABLE "ApiKeyCounts" (
                    "AccountId" text NOT NULL,
                    "Environment" text NOT NULL,
                    "Status" text NOT NULL,
                    "Count" integer NOT NULL,
                    CONSTRAINT "PK_ApiKeyCounts" PRIMARY KEY ("AccountId", "Environment", "Status")
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ApiKeyCounts" ("AccountId", "Environment", "Status", "Count")
                SELECT "AccountId", "Environment", "Status", COUNT(*) FROM "ApiKeys" GROUP BY "AccountId", "Environment", "Status";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "ApiKeys_KeepCounts"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        UPDATE "ApiKeyCounts" SET "Count" = "Count" - 1
                        WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status";
                        DELETE FROM "ApiKeyCounts"
                        WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status" AND "Count" <= 0;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO "ApiKeyCounts" ("AccountId", "Environment", "Status", "Count") VALUES (NEW."AccountId", NEW."Environment", NEW."Status", 1)
                        ON CONFLICT ("AccountId", "Environment", "Status") DO UPDATE SET "Count" = "ApiKeyCounts"."Count" + 1;
                    END IF;
                    RETURN NULL;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_ApiKeys_Count_Insert" AFTER INSERT ON "ApiKeys" FOR EACH ROW EXECUTE FUNCTION "ApiKeys_KeepCounts"();
                CREATE TRIGGER "TR_ApiKeys_Count_Delete" AFTER DELETE ON "ApiKeys" FOR EACH ROW EXECUTE FUNCTION "ApiKeys_KeepCounts"();
                CREATE TRIGGER "TR_ApiKeys_Count_Update" AFTER UPDATE OF "AccountId", "Environment", "Status" ON "ApiKeys" FOR EACH ROW
                    WHEN (OLD."AccountId" IS DISTINCT FROM NEW."AccountId" OR OLD."Environment" IS DISTINCT FROM NEW."Environment" OR OLD."Status" IS DISTINCT FROM NEW."Status")
                    EXECUTE FUNCTION "ApiKeys_KeepCounts"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "TR_ApiKeys_Count_Update" ON "ApiKeys";
                DROP TRIGGER "TR_ApiKeys_Count_Delete" ON "ApiKeys";
                DROP TRIGGER "TR_ApiKeys_Count_Insert" ON "ApiKeys";
                DROP FUNCTION "ApiKeys_KeepCounts"();
                DROP TABLE "ApiKeyCounts";
                DROP INDEX "IX_ApiKeys_VaultListOrder";
                DROP COLLATION "NOCASE";
                """);
        }
    }
}
