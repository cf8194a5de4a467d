#!/usr/bin/env bash
# Runs the whole CreatorKeys test suite on a fresh Debian machine with the .NET 10 SDK:
# installs Debian's Chromium for the browser tests when it is missing, then checks the
# formatting, builds with warnings as errors and runs every test (unit, component,
# integration on a real host + SQLite, and browser tests with axe-core).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (Debian package 'chromium')..."
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore
dotnet restore CreatorKeys.sln
dotnet format CreatorKeys.sln --verify-no-changes --no-restore
dotnet build CreatorKeys.sln -c Release --no-restore
dotnet test CreatorKeys.sln -c Release --no-build "$@"
