#!/usr/bin/env bash
# A local RabbitMQ on 127.0.0.1:5672 (guest/guest) for the broker tests and the split topology.
# Source it, then: rabbitmq_start (installs Debian's rabbitmq-server if missing, starts it unless a broker
# already answers on 127.0.0.1:5672) and rabbitmq_stop (stops only what rabbitmq_start started, epmd
# included). Run directly: scripts/rabbitmq.sh start|stop. Debian's rabbitmqctl runs only as root or the
# rabbitmq user, so a non-root user needs sudo.

RABBITMQ_STARTED=""
EPMD_STARTED=""

rabbitmq_sudo() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

rabbitmq_pidfile() { echo "/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"; }

rabbitmq_answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

rabbitmq_start() {
  if rabbitmq_answers; then
    echo "rabbitmq: a broker already answers on 127.0.0.1:5672; leaving it as it is"
    return 0
  fi
  local sudo; sudo="$(rabbitmq_sudo)"
  # Before anything that runs rabbitmqctl, which starts epmd itself: only then is an epmd found here someone else's.
  epmd -names >/dev/null 2>&1 || EPMD_STARTED="yes"   # a live epmd answers; a dead one may linger as a zombie
  # A node that runs with its app stopped (a test that stopped it died before starting it again): start the app.
  if [ -x /usr/sbin/rabbitmqctl ] && $sudo rabbitmqctl -q ping >/dev/null 2>&1; then
    $sudo rabbitmqctl -q start_app >/dev/null
    echo "rabbitmq: the local node was running with its app stopped; started the app"
    return 0
  fi
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    echo "rabbitmq: installing rabbitmq-server from Debian's packages"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >/dev/null \
      || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >/dev/null; }
    if rabbitmq_answers; then
      echo "rabbitmq: installed and started by its package (systemd); leaving it running"
      EPMD_STARTED=""   # the package's node started it, and keeps it
      return 0
    fi
  fi
  # Marked before the wait: a start that times out is still stopped by rabbitmq_stop.
  RABBITMQ_STARTED="yes"
  $sudo rabbitmq-server -detached
  # await_startup straight after -detached fails: wait on the pid file instead.
  $sudo rabbitmqctl wait "$(rabbitmq_pidfile)" --timeout 60 >/dev/null
  echo "rabbitmq: started"
}

rabbitmq_stop() {
  local sudo; sudo="$(rabbitmq_sudo)"
  if [ -n "$RABBITMQ_STARTED" ]; then
    $sudo rabbitmqctl stop "$(rabbitmq_pidfile)" >/dev/null 2>&1 || true
    echo "rabbitmq: stopped"
  fi
  if [ -n "$EPMD_STARTED" ]; then
    # epmd will not go while the node is still registered with it, which can outlast rabbitmqctl stop a moment.
    for _ in $(seq 20); do epmd -names 2>/dev/null | grep -q "name rabbit " || break; sleep 0.5; done
    $sudo epmd -kill >/dev/null 2>&1 || true
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) rabbitmq_start ;;
    stop) RABBITMQ_STARTED="yes"; rabbitmq_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
