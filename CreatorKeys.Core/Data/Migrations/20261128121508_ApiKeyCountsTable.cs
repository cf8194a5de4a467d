using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreatorKeys.Core.Data.Migrations
{
    /// <summary>
    /// How many keys each account has per environment and status, kept by triggers on ApiKeys, so
    /// the vault page's folder counts read a handful of rows instead of counting every key on every
    /// visit. Triggers catch every way a key changes (EF, bulk updates, cascades when an account is
    /// deleted). Not in the model (EF cannot declare triggers): a later migration that rebuilds the
    /// ApiKeys table drops them and must make them again (KeyCountTableTests fails if they are gone).
    /// </summary>
    public partial class ApiKeyCountsTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ApiKeyCounts" (
                    "AccountId" TEXT NOT NULL,
                    "Environment" TEXT NOT NULL,
                    "Status" TEXT NOT NULL,
                    "Count" INTEGER NOT NULL,
                    CONSTRAINT "PK_ApiKeyCounts" PRIMARY KEY ("AccountId", "Environment", "Status")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ApiKeyCounts" ("AccountId", "Environment", "Status", "Count")
                SELECT "AccountId", "Environment", "Status", COUNT(*) FROM "ApiKeys" GROUP BY "AccountId", "Environment", "Status";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_ApiKeys_Count_Insert" AFTER INSERT ON "ApiKeys"
                BEGIN
                    INSERT INTO "ApiKeyCounts" ("AccountId", "Environment", "Status", "Count") VALUES (NEW."AccountId", NEW."Environment", NEW."Status", 1)
                    ON CONFLICT ("AccountId", "Environment", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_ApiKeys_Count_Delete" AFTER DELETE ON "ApiKeys"
                BEGIN
                    UPDATE "ApiKeyCounts" SET "Count" = "Count" - 1
                    WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status";
                    DELETE FROM "ApiKeyCounts"
                    WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status" AND "Count" <= 0;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_ApiKeys_Count_Update" AFTER UPDATE OF "AccountId", "Environment", "Status" ON "ApiKeys"
                WHEN OLD."AccountId" IS NOT NEW."AccountId" OR OLD."Environment" IS NOT NEW."Environment" OR OLD."Status" IS NOT NEW."Status"
                BEGIN
                    UPDATE "ApiKeyCounts" SET "Count" = "Count" - 1
                    WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status";
                    DELETE FROM "ApiKeyCounts"
                    WHERE "AccountId" = OLD."AccountId" AND "Environment" = OLD."Environment" AND "Status" = OLD."Status" AND "Count" <= 0;
                    INSERT INTO "ApiKeyCounts" ("AccountId", "Environment", "Status", "Count") VALUES (NEW."AccountId", NEW."Environment", NEW."Status", 1)
                    ON CONFLICT ("AccountId", "Environment", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "TR_ApiKeys_Count_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "TR_ApiKeys_Count_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "TR_ApiKeys_Count_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "ApiKeyCounts";""");
        }
    }
}
