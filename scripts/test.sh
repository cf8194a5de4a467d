#!/usr/bin/env bash
# Runs the whole CreatorKeys test suite on a fresh Debian machine with the .NET 10 SDK:
# installs Debian's Chromium (browser tests), poppler-utils (pdftotext, to read the PDF
# exports back) and postgresql (initdb/pg_ctl for the PostgreSQL suites) when they are missing, then checks the
# formatting, builds with warnings as errors and runs every test (unit, component,
# integration on a real host + SQLite, and browser tests with axe-core).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# PostgreSQL's server programs: the PostgreSQL suites start a throwaway cluster of their own (PostgreSqlServer).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (Debian packages) for the tests..."
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's package starts a cluster of its own at install; the tests do not use it (they make theirs on a free port).
if [ -z "${CREATORKEYS_POSTGRES_BIN:-}" ]; then
    CREATORKEYS_POSTGRES_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    export CREATORKEYS_POSTGRES_BIN
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore
dotnet restore CreatorKeys.sln
dotnet format CreatorKeys.sln --verify-no-changes --no-restore
dotnet build CreatorKeys.sln -c Release --no-restore
dotnet test CreatorKeys.sln -c Release --no-build "$@"
