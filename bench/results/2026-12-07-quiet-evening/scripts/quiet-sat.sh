#!/bin/bash
# saturated fan-out, Parley (memory:, -Xmx1g) vs nats-server, alternating, R rounds
set -u
D=${D:-/tmp/dq}; OUT=${OUT:-/tmp/quiet/sat}; R=${ROUNDS:-2}; mkdir -p $OUT
for i in $(seq ${FIRST:-1} $R); do
  mkdir -p $OUT/p$i; cd $OUT/p$i
  (JAVA_OPTS="-Xmx1g -Dparley.store.url=memory: -Dparley.server.port=7878 -Dparley.http.port=0 -Dparley.limits.max-connections-per-address=0" exec $D/bin/parley server > server.log 2>&1) &
  sleep 5; P=$(pgrep -f "parley.server.port=7878" | head -1)
  $D/bin/parley bench fanout --saturate -S 100 -P 4 -B 100 --port 7878 --pid $P 2>&1 | grep '^RESULT' | sed "s/^RESULT //; s/}\$/,\"round\":$i,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}/" | tee -a $OUT/sat.jsonl
  echo "round $i ERROR lines: $(grep -c ' ERROR ' server.log)" | tee -a $OUT/errors.txt
  kill $P; while kill -0 $P 2>/dev/null; do sleep 0.2; done
  nats-server -a 127.0.0.1 -p 4222 > $OUT/nats$i.log 2>&1 & N=$!; sleep 1
  $D/bin/parley bench fanout --saturate -S 100 -P 4 -B 100 --target nats --port 4222 --pid $N 2>&1 | grep '^RESULT' | sed "s/^RESULT //; s/}\$/,\"round\":$i,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}/" | tee -a $OUT/sat.jsonl
  kill $N; sleep 1
done
