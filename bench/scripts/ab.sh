#!/usr/bin/env bash
# Before/after comparison of two Parley distributions on this machine, interleaved so that a noisy moment hits
# both (the method of bench/results/2026-11-25-run-4.md). For each of RUNS rounds and each distribution: a fresh server
# (as compare.sh starts it), one `parley bench` scenario against it, then the server is stopped.
#
#   bench/scripts/ab.sh BEFORE_HOME AFTER_HOME fanout -S 100 -P 4 -d 10
#   bench/scripts/ab.sh BEFORE_HOME AFTER_HOME idle -N 10000 --hold 3      # --pid is added here
#
# For fanout and rooms it also reads the server's CPU time (utime + stime of /proc/PID/stat) over
# CPU_WINDOW seconds starting CPU_DELAY seconds after the client started (inside the measured window with the
# default 3 s warm-up), and prints it per delivery. One line per run: label, load average at start and end,
# cpu_ns_per_delivery (fanout/rooms), and the client's RESULT line.
# Environment: RUNS (3), PORT (27990), SERVER_OPTS (-Xmx1g), BENCH_JAVA_OPTS (as compare.sh), CPU_DELAY (5),
# CPU_WINDOW (6). The client is always the BEFORE distribution's, so both servers face the same load tool.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,15p' "$0"
  exit 2
fi
before=$1 after=$2
shift 2
scenario=$1
RUNS=${RUNS:-3}
PORT=${PORT:-27990}
SERVER_OPTS=${SERVER_OPTS:--Xmx1g}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
CPU_DELAY=${CPU_DELAY:-5}
CPU_WINDOW=${CPU_WINDOW:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # label, distribution
  local label=$1 home=$2 server client c0="" c1 t0 t1 l0 extra=() result cost=""
  shift 2
  JAVA_OPTS="$SERVER_OPTS -Dparley.server.port=$PORT -Dparley.limits.max-connections=20000 \
-Dparley.limits.max-connections-per-address=0" "$home/bin/parley" server >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.1
  done
  sleep 2
  l0=$(load)
  if [ "$scenario" = idle ]; then extra=(--pid "$server"); fi
  JAVA_OPTS="$BENCH_JAVA_OPTS" "$before/bin/parley" bench "$@" "${extra[@]}" --port "$PORT" >"$work/bench.out" 2>&1 &
  client=$!
  if [ "$scenario" = fanout ] || [ "$scenario" = rooms ]; then
    sleep "$CPU_DELAY"
    c0=$(cpu_ticks "$server"); t0=$(date +%s.%N)
    sleep "$CPU_WINDOW"
    c1=$(cpu_ticks "$server"); t1=$(date +%s.%N)
  fi
  wait "$client" || true
  kill "$server"; wait "$server" 2>/dev/null || true
  result=$(grep '^RESULT ' "$work/bench.out" || echo "no RESULT (see the client's output above)")
  if [ -n "$c0" ]; then
    cost=$(echo "$result" | python3 -c "
import json, sys
line = sys.stdin.read()
dps = json.loads(line[line.index('{'):])['deliveries_per_s']
ticks, seconds = ($c1 - $c0) / $(getconf CLK_TCK), $t1 - $t0
print('cpu_ns_per_delivery=%.0f server_cores=%.2f' % (ticks / (dps * seconds) * 1e9, ticks / seconds))
" 2>/dev/null || echo "cpu_ns_per_delivery=n/a")
  fi
  echo "$label load=$l0-$(load) $(date -u +%H:%M:%S) $cost $result"
}

for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then
    run "before-$i" "$before" "$@"; run "after-$i" "$after" "$@"
  else
    run "after-$i" "$after" "$@"; run "before-$i" "$before" "$@"
  fi
done
