#!/usr/bin/env bash
# Reproduced what split two healthy cluster members after a third was frozen, and now checks that it stays fixed
# (docs/cluster.md, "Ten minutes on PostgreSQL (2026-12-08)"; fixed in 21b8356): three servers of the distribution (memory store) on loopback, `parley bench fanout`
# across them at 180 messages/s, then SIGSTOP on node 3. Prints the CPU time of every Hazelcast output I/O thread
# of nodes 1 and 2 at 12 s and 18 s after the freeze, and whether either node found itself alone. A thread that
# gains ~6,000 ms in those 6 s is spinning; when the other survivor's connection shares it, that survivor hears no
# heartbeat and counts this one out.
#
#   bench/scripts/frozen-member-io.sh [label] ["hazelcast.property=value" ...]   # properties to try as a fix
#
# Loopback only; stops everything it started. Output and node logs in /tmp/frozen-member-io-<label>/.
set -uo pipefail
label=${1:-base}; shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
P=${PARLEY_HOME:-$root/launcher/target/parley}/bin/parley
D=/tmp/frozen-member-io-$label
rm -rf "$D"; mkdir -p "$D"
props=""
for kv in "$@"; do props="$props    \"${kv%%=*}\" = \"${kv#*=}\"
"; done
for i in 1 2 3; do
  cat > "$D/n$i.conf" <<EOC
parley.server.host = 127.0.0.1
parley.http.port = 0
parley.cluster {
  enabled = true
  name = "frozen-member-io-$label"
  host = 127.0.0.1
  port = $((48100 + i))
  members = ["127.0.0.1:48101", "127.0.0.1:48102", "127.0.0.1:48103"]
  hazelcast {
    "hazelcast.heartbeat.interval.seconds" = 1
    "hazelcast.max.no.heartbeat.seconds" = 5
$props  }
}
parley.filetransfer.spool-dir = "$D/spool"
parley.store.url = "memory:"
EOC
  (cd "$D" && JAVA_OPTS="-Xmx200m -XX:+UseSerialGC" nohup "$P" server --port $((48200 + i)) --config "$D/n$i.conf" \
      > "$D/n$i.log" 2>&1 &)
done
pid() { ps -eo pid,args | grep "$D/n$1.conf" | grep -v grep | awk '{print $1}'; }
cleanup() { for i in 1 2 3; do p=$(pid $i); [ -n "$p" ] && kill -CONT "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
            pkill -f "fanout-frozen-member-io" 2>/dev/null; true; }
trap cleanup EXIT
for _ in $(seq 1 60); do [ "$(grep -l 'listening on' "$D"/n*.log 2>/dev/null | wc -l)" -eq 3 ] && break; sleep 1; done
sleep 3
(exec -a fanout-frozen-member-io "$P" bench fanout -S 9 -P 6 --rate 30 --port 48201 --also-port 48202,48203 -d 60 \
    --warmup 2 > "$D/bench.out" 2>&1 &)
sleep 12
p1=$(pid 1); p2=$(pid 2); p3=$(pid 3)
kill -STOP "$p3"
out_threads() { jstack "$1" | grep -E '"hz\.[a-z_]*\.IO\.thread-out' | sed -E 's/.*thread-(out-[0-9]+).*cpu=([0-9.]+)ms.*/\1=\2ms/' | tr '\n' ' '; }
sleep 12; a1=$(out_threads "$p1"); a2=$(out_threads "$p2")
sleep 6;  b1=$(out_threads "$p1"); b2=$(out_threads "$p2")
echo "$label node 1 output threads, 12 s after the freeze: $a1"
echo "$label node 1 output threads, 18 s after the freeze: $b1"
echo "$label node 2 output threads, 12 s after the freeze: $a2"
echo "$label node 2 output threads, 18 s after the freeze: $b2"
echo "$label views of one member (the first node's start is one): node 1 $(grep -c 'Members {size:1' "$D/n1.log"), node 2 $(grep -c 'Members {size:1' "$D/n2.log")"
