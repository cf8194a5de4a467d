#!/usr/bin/env bash
# Adds an EF Core migration for BOTH databases and makes both compiled models again, from the repository root:
#     scripts/add-migration.sh <Name>
# - SQLite (the default):  CreatorKeys.Core/Data/Migrations
# - PostgreSQL:            CreatorKeys.Data.PostgreSql/Migrations (design-time factory in that project)
# A provider whose model has not changed gets no migration (so running it after a merge that brought a SQLite
# migration adds only the PostgreSQL one). Both compiled models are made again every time. Then build and run
# CompiledModelTests and PostgreSqlSchemaTests. See docs/development.md.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh <Name>}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build CreatorKeys.Data.PostgreSql -c Debug -v quiet -nologo >/dev/null

pending() { # $1 = project; exit 0 when its model has changes no migration covers
    ! dotnet ef migrations has-pending-model-changes --context CreatorKeysDbContext --no-build --project "$1" --startup-project "$1" >/dev/null 2>&1
}

added=0
if pending CreatorKeys.Core; then
    echo "SQLite: adding migration $name"
    dotnet ef migrations add "$name" --context CreatorKeysDbContext --no-build --project CreatorKeys.Core --startup-project CreatorKeys.Core --output-dir Data/Migrations
    added=1
else
    echo "SQLite: the model has no changes to migrate"
fi
if pending CreatorKeys.Data.PostgreSql; then
    echo "PostgreSQL: adding migration $name"
    dotnet ef migrations add "$name" --context CreatorKeysDbContext --no-build --project CreatorKeys.Data.PostgreSql --startup-project CreatorKeys.Data.PostgreSql --output-dir Migrations
    added=1
else
    echo "PostgreSQL: the model has no changes to migrate"
fi

if [ "$added" -eq 1 ]; then
    dotnet build CreatorKeys.Data.PostgreSql -c Debug -v quiet -nologo >/dev/null
fi
echo "Making the compiled models again"
dotnet ef dbcontext optimize --context CreatorKeysDbContext --no-build --project CreatorKeys.Core --startup-project CreatorKeys.Core \
    -o Data/CompiledModel -n CreatorKeys.Core.Data.CompiledModel >/dev/null
dotnet ef dbcontext optimize --context CreatorKeysDbContext --no-build --project CreatorKeys.Data.PostgreSql --startup-project CreatorKeys.Data.PostgreSql \
    -o CompiledModel -n CreatorKeys.Data.PostgreSql.CompiledModel >/dev/null
echo "Done. A migration with hand-written SQL (triggers, collations) needs its PostgreSQL twin written by hand too."
