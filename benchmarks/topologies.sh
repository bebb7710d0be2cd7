#!/usr/bin/env bash
# Issue 16's benchmark: the order saga on both topologies in one run, side by side (orders confirmed per
# second, placement -> confirmed p50/p99), then event delivery (commit -> handled) p50/p99 in process and over
# RabbitMQ. One published host; the local RabbitMQ is started when none answers (and stopped again).
#   benchmarks/topologies.sh [--rates 100,200,400] [--seconds 10]
set -euo pipefail
cd "$(dirname "$0")/.."
rates="100,200,400"; seconds=10
while [ $# -gt 0 ]; do case "$1" in --rates) rates="$2"; shift 2 ;; --seconds) seconds="$2"; shift 2 ;; *) echo "usage: $0 [--rates r1,r2] [--seconds n]" >&2; exit 2 ;; esac; done
out="$(mktemp -d)"
source scripts/rabbitmq.sh
# The three-process run declares its queues under a bench-… prefix: deleted afterwards.
cleanup() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  $sudo rabbitmqctl -q list_queues name 2>/dev/null | grep '^bench-' | while read -r queue; do $sudo rabbitmqctl -q delete_queue "$queue" >/dev/null 2>&1 || true; done
  rabbitmq_stop; rm -rf "$out"
}
trap cleanup EXIT
rabbitmq_start
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' with uncommitted changes under src/')"
dotnet publish src/Host -c Release -o "$out/host" >/dev/null
dotnet build -c Release benchmarks/Platform.Benchmarks.Messaging >/dev/null
dotnet run -c Release --project benchmarks/Platform.Benchmarks.Api -- --host "$out/host" --topologies --rates "$rates" --seconds "$seconds"
echo
echo "== event delivery, commit -> handled at 200/s for ${seconds}s (Notifications)"
for transport in InProcess RabbitMQ; do
  echo "-- $transport"
  dotnet run -c Release --no-build --project benchmarks/Platform.Benchmarks.Messaging -- --rate 200 --seconds "$seconds" --scenario alone --transport "$transport" | grep -E '^\| Notif|^\| *\||published' | head -4
done
