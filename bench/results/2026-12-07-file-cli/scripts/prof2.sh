#!/bin/bash
# usage: prof.sh TAG FILE [jfr]   -- server, receiver waiting, send; per-process CPU; optional JFR on all three

TAG=$1; FILE=$2; JFR=$3
P=${PARLEY:-/work/wt/cli26/launcher/target/parley/bin/parley}
W=/tmp/c26/run-$TAG; rm -rf $W; mkdir -p $W/in $W/spool
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
j() { [ -n "$JFR" ] && echo "-XX:StartFlightRecording=filename=$W/$1.jfr,settings=profile" ; }
JAVA_OPTS="-Xmx64m $(j server) -Dparley.server.port=$PORT -Dparley.http.port=0 -Dparley.filetransfer.spool-dir=$W/spool $SERVER_OPTS" $P server >$W/server.log 2>&1 &
SPID=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
# warm-up 64 MiB through the server
head -c 67108864 /dev/urandom > $W/warm.bin
JAVA_OPTS="" $P receive --port $PORT --nick wendy --count 1 --dir $W/inw >$W/rw.log 2>&1 & RW=$!
sleep 1.5
JAVA_OPTS="" $P send --port $PORT --nick walt --to wendy $W/warm.bin >$W/sw.log 2>&1
wait $RW; rm -rf $W/inw $W/warm.bin
JAVA_OPTS="$(j receive) $CLIENT_OPTS" /usr/bin/time -f "receive %e s wall %U user %S sys" -o $W/receive.time $P receive --port $PORT --nick rita --count 1 --dir $W/in >$W/receive.log 2>&1 & RPID=$!
sleep 1.5
perf record -F 499 -a -g -o $W/perf.data 2>$W/perf.err & PERF=$!
S0=$(awk '{print $14+$15}' /proc/$SPID/stat)
T0=$(date +%s.%N)
JAVA_OPTS="$(j send) $CLIENT_OPTS" /usr/bin/time -f "send %e s wall %U user %S sys" -o $W/send.time $P send --port $PORT --nick sam --to rita "$FILE" >$W/send.log 2>&1
T1=$(date +%s.%N)
wait $RPID
T2=$(date +%s.%N)
kill -INT $PERF; wait $PERF || true
S1=$(awk '{print $14+$15}' /proc/$SPID/stat)
kill $SPID; wait $SPID 2>/dev/null || true
cat $W/send.time $W/receive.time
echo "send exit after $(echo "$T1-$T0"|bc) s, receive exit after $(echo "$T2-$T0"|bc) s; server CPU during: $(( (S1-S0) ))0 ms; load $(cut -d' ' -f1 /proc/loadavg)"
cmp "$FILE" $W/in/$(basename "$FILE") && echo verified
rm -rf $W/in $W/spool
