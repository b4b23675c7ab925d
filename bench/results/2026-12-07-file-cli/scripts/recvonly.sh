#!/bin/bash
# usage: recvonly.sh FILE "opts1" "opts2" ... -- per option set: receiver online then SIGSTOPped, the file sent, SIGCONT, timed to exit
FILE=$1; shift
P=${PARLEY:-/work/wt/cli26/launcher/target/parley/bin/parley}
W=/tmp/c26/ro; rm -rf $W; mkdir -p $W/spool
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
JAVA_OPTS="-Xmx64m -Dparley.server.port=$PORT -Dparley.http.port=0 -Dparley.filetransfer.spool-dir=$W/spool -Dparley.filetransfer.quota-bytes=1000GiB $SERVER_OPTS" $P server >$W/server.log 2>&1 &
SPID=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
n=0
for rep in ${REPS:-1}; do
for o in "$@"; do
  n=$((n+1)); rm -rf $W/in
  JAVA_OPTS="$o" /usr/bin/time -f "%e s wall %U user %S sys" -o $W/t $P receive --port $PORT --nick r$n --count 1 --read-timeout 0 --dir $W/in >$W/recv$n.log 2>&1 & R=$!
  python3 /tmp/c26/online.py $PORT r$n; RP=$(pgrep -P $R java || echo $R); kill -STOP $RP
  JAVA_OPTS="$SEND_OPTS" $P send --port $PORT --nick s$n --to r$n "$FILE" >$W/send$n.log 2>&1 || cat $W/send$n.log
  sleep 1
  S0=$(awk '{print $14+$15}' /proc/$SPID/stat); C0=$(awk '{print $14+$15}' /proc/$RP/stat)
  [ -n "$PERF" ] && { perf record -F 499 -g -a -o $W/perf$n.data 2>/dev/null & PF=$!; }
  T0=$(date +%s.%N); kill -CONT $RP; wait $R; T1=$(date +%s.%N)
  [ -n "$PERF" ] && { kill -INT $PF; wait $PF; }
  S1=$(awk '{print $14+$15}' /proc/$SPID/stat)
  echo "[$o] receive alone: $(echo "$T1-$T0"|bc) s; whole process: $(cat $W/t); server cpu $(( S1-S0 ))0 ms; load $(cut -d' ' -f1 /proc/loadavg)"
  cmp -s "$FILE" $W/in/$(basename "$FILE") || echo "NOT VERIFIED"
  rm -rf $W/spool/*.file $W/in
done
done
kill $SPID; wait $SPID
