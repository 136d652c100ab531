#!/usr/bin/env bash
# Serves the zone files of the local stack (zonefiles/*.zone) with BIND on a
# loopback port, so `maildns verify` can check what was deployed:
#   bash scripts/serve-zones.sh start [PORT]   # default 5353; waits until every zone answers
#   bash scripts/serve-zones.sh stop
# Installs BIND with apt when it is missing and this runs as root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tools/named"
cmd="${1:-}"
port="${2:-5353}"

stop() {
  local pid
  pid="$(cat "$dir/named.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "stopped BIND"
  fi
  rm -f "$dir/named.pid"
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: bash scripts/serve-zones.sh start [PORT] | stop" >&2; exit 2 ;;
esac

if ! command -v named >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bind9 bind9-dnsutils >/dev/null
  else
    echo "BIND (named) is not installed: apt-get install bind9 bind9-dnsutils" >&2; exit 1
  fi
fi
shopt -s nullglob
files=("$root"/zonefiles/*.zone)
[ ${#files[@]} -gt 0 ] || { echo "no zone files in $root/zonefiles: run bash scripts/quickstart.sh first" >&2; exit 1; }

stop
mkdir -p "$dir"
{
  echo "options { directory \"$root\"; pid-file \"$dir/named.pid\"; listen-on port $port { 127.0.0.1; }; listen-on-v6 { none; };"
  echo "  recursion no; allow-query { any; }; dnssec-validation no; notify no; };"
  echo "controls { };"
  for f in "${files[@]}"; do
    z="$(basename "$f" .zone)"
    echo "zone \"$z\" { type primary; file \"$f\"; };"
  done
} > "$dir/named.conf"
user=(); [ "$(id -u)" = 0 ] && user=(-u root)
named -c "$dir/named.conf" "${user[@]}" >"$dir/named.log" 2>&1 || { cat "$dir/named.log" >&2; exit 1; }
for f in "${files[@]}"; do
  z="$(basename "$f" .zone)"
  for i in $(seq 100); do
    if [ "$(dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 SOA "$z" 2>/dev/null)" != "" ]; then break; fi
    [ "$i" = 100 ] && { echo "BIND does not answer for $z; see $dir/named.log" >&2; exit 1; }
    sleep 0.1
  done
done
echo "BIND serves ${#files[@]} zone(s) from zonefiles/ on 127.0.0.1:$port (stop: bash scripts/serve-zones.sh stop)"
