#!/bin/bash
# quiet window: bench many, Parley (-Xmx1g, memory store) vs nats-server, alternating; then Parley with a pretouched fixed heap
set -u
ulimit -n $(ulimit -Hn)
D=${D:-/tmp/dq}; OUT=${OUT:-/tmp/quiet/many}; R=${ROUNDS:-3}
mkdir -p $OUT
for i in $(seq 1 $R); do
  mkdir -p $OUT/p$i; cd $OUT/p$i
  (JAVA_OPTS="-Xmx1g -Dparley.store.url=memory: -Dparley.server.port=7878 -Dparley.http.port=0 -Dparley.limits.max-connections=20000 -Dparley.limits.max-connections-per-address=0" exec $D/bin/parley server > server.log 2>&1) &
  sleep 5; P=$(pgrep -f "parley.server.port=7878" | head -1)
  $D/bin/parley bench many --port 7878 --pid $P 2>&1 | grep '^RESULT' | sed "s/^RESULT //; s/}\$/,\"round\":$i,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}/" | tee -a $OUT/many.jsonl
  echo "ERROR lines: $(grep -c ' ERROR ' server.log)" | tee -a $OUT/errors.txt
  kill $P; while kill -0 $P 2>/dev/null; do sleep 0.2; done
  nats-server -a 127.0.0.1 -p 4222 > $OUT/nats$i.log 2>&1 & N=$!; sleep 1
  $D/bin/parley bench many --target nats --port 4222 --pid $N 2>&1 | grep '^RESULT' | sed "s/^RESULT //; s/}\$/,\"round\":$i}/" | tee -a $OUT/many-nats.jsonl
  kill $N; sleep 1
done
for i in 1; do
  mkdir -p $OUT/t$i; cd $OUT/t$i
  (JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dparley.store.url=memory: -Dparley.server.port=7878 -Dparley.http.port=0 -Dparley.limits.max-connections=20000 -Dparley.limits.max-connections-per-address=0" exec $D/bin/parley server > server.log 2>&1) &
  sleep 6; P=$(pgrep -f "parley.server.port=7878" | head -1)
  $D/bin/parley bench many --port 7878 --pid $P -d 10 2>&1 | grep '^RESULT' | sed "s/^RESULT //; s/}\$/,\"round\":$i,\"heap\":\"-Xms1g -Xmx1g -XX:+AlwaysPreTouch\"}/" | tee -a $OUT/many-pretouched.jsonl
  kill $P; while kill -0 $P 2>/dev/null; do sleep 0.2; done
done
