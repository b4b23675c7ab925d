#!/usr/bin/env bash
# before/after saturated durable fan-out, alternating; raw output into $OUT
set -u
OUT=${OUT:-bench/results/2026-12-07-durable-flow}
BEFORE=${BEFORE:-/tmp/d21-before/launcher/target/parley}  # distribution built from 9317afb
AFTER=${AFTER:-launcher/target/parley}  # distribution built from this branch
OUT=$(cd "$OUT" && pwd); BEFORE=$(cd "$BEFORE" && pwd); AFTER=$(cd "$AFTER" && pwd)  # the server runs in a temporary directory
PORT=${PORT:-29871}
ROUNDS=${ROUNDS:-2}
STORE=${STORE:-sqlite}  # sqlite, or memory for the memory store (files saturated-memory-*.txt)
run_one() { # label home round
  local label=$1 home=$2 round=$3 dir file=$1
  [ "$STORE" = memory ] && file=memory-$1
  dir=$(mktemp -d /tmp/d21-srv.XXXXXX)
  (cd "$dir" && url="jdbc:sqlite:$dir/parley.db"; [ "$STORE" = memory ] && url="memory:"
  JAVA_OPTS="-Xmx1g -Dparley.store.url=$url -Dparley.server.port=$PORT -Dparley.http.enabled=false -Dparley.limits.max-connections-per-address=0" exec "$home/bin/parley" server >"$dir/server.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
  echo "== $label round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/saturated-$file.txt"
  "$AFTER/bin/parley" bench fanout --saturate -S 100 -P 4 -B 100 --port "$PORT" --pid "$pid" >>"$OUT/saturated-$file.txt" 2>&1
  echo "exit $?" >>"$OUT/saturated-$file.txt"
  kill "$pid"; wait "$pid" 2>/dev/null
  echo "-- server log ERROR/WARN lines: $(grep -c -E ' (ERROR|WARN) ' "$dir/server.log")" >>"$OUT/saturated-$file.txt"
  rm -rf "$dir"
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then run_one before "$BEFORE" "$r"; run_one after "$AFTER" "$r";
  else run_one after "$AFTER" "$r"; run_one before "$BEFORE" "$r"; fi
done
