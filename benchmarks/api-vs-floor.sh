#!/usr/bin/env bash
# Publishes the host (Release, ReadyToRun) and, when present, the read floor (../shared/peers/read-floor),
# then measures from outside in one session: the read path against both floors (wrk -c32), start-up,
# working set after the load, and catalog search at 1k/10k/100k products. Needs wrk (apt-get install wrk).
#   benchmarks/api-vs-floor.sh [extra options, e.g. --sizes 1000,10000 --seconds 8]
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet publish src/Host -c Release -o "$out/host" >/dev/null
floor=()
if [ -d ../shared/peers/read-floor ]; then
  dotnet publish ../shared/peers/read-floor -c Release -o "$out/floor" >/dev/null
  floor=(--floor "$out/floor")
fi
dotnet run -c Release --project benchmarks/Platform.Benchmarks.Api -- \
  --host "$out/host" ${floor[@]+"${floor[@]}"} --svg docs/benchmarks/api.svg "$@"
