#!/usr/bin/env bash
# The split topology on one machine, with one command: RabbitMQ (started if nothing answers on 5672, and
# stopped again if started here), then three processes of the same host binary on loopback, each with its
# own data folder:
#   gateway  (Identity, Catalog)           http://127.0.0.1:${GATEWAY_PORT:-5080}   <- clients use only this
#   orders   (Ordering, Inventory)         http://127.0.0.1:${ORDERS_PORT:-5081}
#   payments (Payments, Notifications)     http://127.0.0.1:${PAYMENTS_PORT:-5082}
# Ctrl+C stops everything it started. Data stays in ${SPLIT_DATA:-data/split} (delete it to start afresh).
# The settings each process gets are README's "Topologies" example, word for word. Needs bash 5.1+ and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
gateway_port="${GATEWAY_PORT:-5080}" orders_port="${ORDERS_PORT:-5081}" payments_port="${PAYMENTS_PORT:-5082}"
data="${SPLIT_DATA:-data/split}"; case "$data" in /*) ;; *) data="$root/$data" ;; esac
mkdir -p "$data/gateway" "$data/orders" "$data/payments"

source scripts/rabbitmq.sh
pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    echo "split: stopping the three processes"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rabbitmq_stop
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT
rabbitmq_start

echo "split: building the host"
dotnet build src/Host --nologo -v quiet -clp:ErrorsOnly
host="$root/src/Host/bin/Debug/net10.0/Platform.Host.dll"

# Each process's own credential; Identity's process holds only the hashes. New ones every run.
orders_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
payments_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }

common=(
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  Messaging__Transport=RabbitMQ
  Messaging__RabbitMQ__Uri="${RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672/}"
  Modules__Identity__Url="http://127.0.0.1:$gateway_port/"
  Modules__Catalog__Url="http://127.0.0.1:$gateway_port/"
  Modules__Ordering__Url="http://127.0.0.1:$orders_port/"
  Modules__Inventory__Url="http://127.0.0.1:$orders_port/"
  Modules__Payments__Url="http://127.0.0.1:$payments_port/"
  Modules__Notifications__Url="http://127.0.0.1:$payments_port/"
  Identity__Services__orders__SecretHash="$(sha "$orders_secret")"
  Identity__Services__orders__Audiences__0=Identity
  Identity__Services__orders__Audiences__1=Catalog
  Identity__Services__payments__SecretHash="$(sha "$payments_secret")"
  Identity__Services__payments__Audiences__0=Identity
)

start() { # name port settings...
  local name="$1" port="$2"; shift 2
  # From the build folder, so appsettings*.json are found; exec keeps $! the host's own pid.
  (cd "$(dirname "$host")" && exec env "${common[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" "$@" dotnet "$host") > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=("$!")
}

start gateway "$gateway_port" Database__DataDirectory="$data/gateway" \
  Modules__Ordering__Enabled=false Modules__Inventory__Enabled=false Modules__Payments__Enabled=false Modules__Notifications__Enabled=false
start orders "$orders_port" Database__DataDirectory="$data/orders" \
  Modules__Identity__Enabled=false Modules__Catalog__Enabled=false Modules__Payments__Enabled=false Modules__Notifications__Enabled=false \
  Service__Name=orders Service__Secret="$orders_secret"
start payments "$payments_port" Database__DataDirectory="$data/payments" \
  Modules__Identity__Enabled=false Modules__Catalog__Enabled=false Modules__Ordering__Enabled=false Modules__Inventory__Enabled=false \
  Service__Name=payments Service__Secret="$payments_secret"

for port in "$gateway_port" "$orders_port" "$payments_port"; do
  live=""
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/health/live"; then live="yes"; break; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "split: a process exited during start-up (see its lines above)" >&2; exit 1; }; done
    sleep 0.5
  done
  [ -n "$live" ] || { echo "split: http://127.0.0.1:$port did not answer /health/live within 60 s" >&2; exit 1; }
done
echo
echo "split: running. Gateway Swagger UI: http://127.0.0.1:$gateway_port/swagger   (Ctrl+C stops everything)"
wait -n "${pids[@]}" || true
echo "split: a process stopped; stopping the others" >&2
exit 1
