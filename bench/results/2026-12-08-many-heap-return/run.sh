#!/usr/bin/env bash
# The many-connections row of issue #21 (bench many: 19,000 registered connections, rooms of 100, one member per
# room chatting at 1 message/s, 30 s measured), a fresh server per run, three rounds interleaved: Parley as
# bin/parley starts it (G1 gives free heap back), Parley with the JVM's own free ratios (JAVA_OPTS sets them,
# so the script adds none of its heap flags), and nats-server. -Xmx1g as in compare.sh. RESULT lines to
# results.jsonl beside this script.
set -u
here=$(cd "$(dirname "$0")" && pwd)
P=${PARLEY_HOME:-$here/../../../launcher/target/parley}/bin/parley
out=$here/results.jsonl; : > "$out"
ulimit -n 20000
run() { # label, pid, port, target
  "$P" bench many --target "$4" --port "$3" --pid "$2" -N 19000 2>/dev/null | grep '^RESULT ' | tail -1 | sed 's/^RESULT //' \
    | jq -c --arg name "$1" '. + {"name": $name}' >> "$out"
  tail -1 "$out" | jq -r '"\(.name): RSS/conn after set-up \(.rss_per_connection_bytes|floor) B, held \(.rss_held_per_connection_bytes|floor) B, heap/conn \(.heap_per_connection_bytes // 0|floor) B, p99 \(.p99_us/1000) ms"'
}
parley() { # label, JAVA_OPTS
  local d; d=$(mktemp -d)
  (cd "$d" && JAVA_OPTS="-Xmx1g $2 -Dparley.server.port=27882 -Dparley.limits.max-connections=20000 -Dparley.limits.max-connections-per-address=0 -Dparley.store.url=memory: -Dparley.http.port=0" exec "$P" server > "$d/server.log" 2>&1) &
  for _ in $(seq 1 60); do grep -q "listening on" "$d/server.log" 2>/dev/null && break; sleep 0.5; done
  local pid; pid=$(pgrep -f "parley.server.port=27882" | head -1)
  run "$1" "$pid" 27882 parley
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; rm -rf "$d"
}
for round in 1 2 3; do
  parley "parley (bin/parley's heap flags)" ""
  parley "parley (the JVM's free ratios)" "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70"
  nats-server -a 127.0.0.1 -p 24223 > /dev/null 2>&1 & npid=$!
  sleep 1; run "nats-server" "$npid" 24223 nats
  kill "$npid"; wait "$npid" 2>/dev/null
done
