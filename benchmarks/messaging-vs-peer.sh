#!/usr/bin/env bash
# Runs the messaging benchmark and, when its harness is present (../shared/peers/wolverine-outbox), the
# WolverineFx peer, in one session, so the figures can be compared: commit -> handled at 200 events/s
# (three runs each), and the sustained rate at 2,000 events/s offered, in process and over RabbitMQ
# (started from Debian's packages by scripts/rabbitmq.sh when it is not running, and stopped again).
#   benchmarks/messaging-vs-peer.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
peer="../shared/peers/wolverine-outbox"
dotnet build-server shutdown >/dev/null 2>&1 || true
dotnet build -c Release benchmarks/Platform.Benchmarks.Messaging >/dev/null
source scripts/rabbitmq.sh
trap rabbitmq_stop EXIT
rabbitmq_start
ours() { dotnet run -c Release --no-build --project benchmarks/Platform.Benchmarks.Messaging -- "$@"; }
for run in 1 2 3; do echo "== Platform, 200/s, run $run"; ours --rate 200 --seconds "$seconds" --scenario alone | grep -E '^\| Notif|published'; done
echo "== Platform, slow second subscriber"; ours --rate 200 --seconds "$seconds" --scenario fast-second | grep -E '^\| a second'
ours --rate 200 --seconds "$seconds" --scenario slow-second | grep -E '^\| a second'
echo "== Platform, 2000/s offered"; ours --rate 2000 --seconds "$seconds" --warmup 5 --scenario alone | grep -E '^\| Notif|published'
for run in 1 2 3; do echo "== Platform over RabbitMQ, 200/s, run $run"; ours --rate 200 --seconds "$seconds" --scenario alone --transport RabbitMQ | grep -E '^\| Notif|published'; done
echo "== Platform over RabbitMQ, slow second subscriber"; ours --rate 200 --seconds "$seconds" --scenario slow-second --transport RabbitMQ | grep -E '^\| a second'
echo "== Platform over RabbitMQ, 2000/s offered"; ours --rate 2000 --seconds "$seconds" --warmup 5 --scenario alone --transport RabbitMQ | grep -E '^\| Notif|published'
if [ -d "$peer" ]; then
  (cd "$peer" && dotnet build -c Release >/dev/null)
  for run in 1 2 3; do echo "== Wolverine, receiver in its own file, 200/s, run $run"; (cd "$peer" && dotnet run -c Release --no-build -- bench --rate 200 --seconds "$seconds") | tail -n 8; done
  for run in 1 2 3; do echo "== Wolverine, one file, 200/s, run $run"; (cd "$peer" && dotnet run -c Release --no-build -- bench --rate 200 --seconds "$seconds" --single-db) | tail -n 8; done
  echo "== Wolverine, receiver in its own file, 2000/s offered"; (cd "$peer" && dotnet run -c Release --no-build -- bench --rate 2000 --seconds "$seconds") | tail -n 8
fi
