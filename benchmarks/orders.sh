#!/usr/bin/env bash
# The order saga under a steady load through the HTTP API of one published host (SQLite): orders that
# confirm and orders rejected for lack of stock, at each offered rate; placement -> outcome p50/p99 from
# each order's own history.
#   benchmarks/orders.sh [--rates 50,100,200,400] [--seconds 10]
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet publish src/Host -c Release -o "$out/host" >/dev/null
dotnet run -c Release --project benchmarks/Platform.Benchmarks.Api -- --host "$out/host" --orders "$@" --seconds 10
