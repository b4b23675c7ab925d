#!/usr/bin/env bash
# single server vs 3-node cluster, both on PostgreSQL (separate databases), same load commands
set -uo pipefail
PH=/tmp/dq6; F=/tmp/qm/cl-okcommit; rm -rf $F; mkdir -p $F
for db in clsingle clcluster; do psql -h 127.0.0.1 -p 25432 -U postgres -q -c "drop database if exists $db" -c "create database $db owner parley"; done
start() { # name port extra
  mkdir -p $F/$1; (cd $F/$1 && JAVA_OPTS="-Xmx512m -Dparley.server.port=$2 -Dparley.http.port=0 -Dparley.limits.max-connections-per-address=0 -Dparley.store.user=parley $3" exec $PH/bin/parley server > server.log 2>&1) & echo $! > $F/$1.pid
}
waitp() { for _ in $(seq 900); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "no port $1"; }
CL="-Dparley.cluster.enabled=true -Dparley.cluster.members.0=127.0.0.1:25801 -Dparley.cluster.members.1=127.0.0.1:25802 -Dparley.cluster.members.2=127.0.0.1:25803 -Dparley.store.url=jdbc:postgresql://127.0.0.1:25432/clcluster"
start single 27100 "-Dparley.store.url=jdbc:postgresql://127.0.0.1:25432/clsingle"
for i in 1 2 3; do start node$i 2710$i "$CL -Dparley.cluster.port=2580$i"; done
waitp 27100; waitp 27101; waitp 27102; waitp 27103; sleep 5
b() { $PH/bin/parley bench "$@" 2>>$F/bench.err | grep RESULT | sed "s/^RESULT //" | jq -c --arg load "$(cut -d' ' -f1 /proc/loadavg)" '{scenario,servers,members,publishers,rooms,msgs_per_s,deliveries_per_s,p99_ms:(.p99_us/1000),lost,delivered_per_acknowledged,load:$load}'; }
for r in 1 2 3; do
  echo "round $r single 1sender: $(b fanout -S 2 -P 1 -W 200 --warmup 3 -d 10 --port 27100)"
  echo "round $r cluster 1sender: $(b fanout -S 2 -P 1 -W 200 --warmup 3 -d 10 --port 27101 --publishers-port 27102)"
  echo "round $r single fanout100: $(b fanout -S 100 -P 4 --warmup 3 -d 10 --port 27100)"
  echo "round $r cluster fanout100: $(b fanout -S 100 -P 4 --warmup 3 -d 10 --port 27101 --publishers-port 27102)"
  echo "round $r single rooms: $(b rooms -R 50 -k 20 --warmup 3 -d 10 --port 27100)"
  echo "round $r cluster rooms: $(b rooms -R 50 -k 20 --warmup 3 -d 10 --port 27101 --also-port 27102,27103)"
done
for n in single node1 node2 node3; do kill $(cat $F/$n.pid); done; wait
for n in single node1 node2 node3; do echo "$n ERROR lines: $(grep -c ' ERROR ' $F/$n/server.log)"; done
