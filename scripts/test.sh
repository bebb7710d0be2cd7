#!/usr/bin/env bash
# Every test, with all the set-up they need: the local dotnet tools, and the RabbitMQ on 127.0.0.1 that the
# broker tests use (installed from Debian's packages when missing, started if not running, and stopped
# again at the end if this script started it). Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
source scripts/rabbitmq.sh
trap rabbitmq_stop EXIT
rabbitmq_start
dotnet test "$@"
