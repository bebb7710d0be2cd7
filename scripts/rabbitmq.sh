#!/usr/bin/env bash
# A local RabbitMQ on 127.0.0.1:5672 (guest/guest) for the broker tests and the split topology.
# Source it, then: rabbitmq_start (installs Debian's rabbitmq-server if missing, starts it unless one
# answers already) and rabbitmq_stop (stops only what rabbitmq_start started, epmd included).
# Run directly: scripts/rabbitmq.sh start|stop.

RABBITMQ_STARTED=""
EPMD_STARTED=""

rabbitmq_pidfile() { echo "/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"; }

rabbitmq_start() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "rabbitmq: installing rabbitmq-server from Debian's packages"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >/dev/null \
      || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >/dev/null; }
  fi
  if rabbitmqctl -q status >/dev/null 2>&1; then
    echo "rabbitmq: already running; leaving it as it is"
    return 0
  fi
  pgrep -x epmd >/dev/null 2>&1 || EPMD_STARTED="yes"
  rabbitmq-server -detached
  # await_startup straight after -detached fails: wait on the pid file instead.
  rabbitmqctl wait "$(rabbitmq_pidfile)" --timeout 60 >/dev/null
  RABBITMQ_STARTED="yes"
  echo "rabbitmq: started"
}

rabbitmq_stop() {
  if [ -n "$RABBITMQ_STARTED" ]; then
    rabbitmqctl stop "$(rabbitmq_pidfile)" >/dev/null 2>&1 || true
    echo "rabbitmq: stopped"
  fi
  if [ -n "$EPMD_STARTED" ]; then
    pkill -x epmd >/dev/null 2>&1 || true
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) rabbitmq_start; RABBITMQ_STARTED="" ;;   # leave it running
    stop) RABBITMQ_STARTED="yes"; rabbitmq_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
