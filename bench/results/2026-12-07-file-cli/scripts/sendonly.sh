#!/bin/bash
# usage: sendonly.sh FILE "opts1" "opts2" ...  -- one server; parley send to an empty room per option set, CPU and wall
FILE=$1; shift
P=${PARLEY:-/work/wt/cli26/launcher/target/parley/bin/parley}
W=/tmp/c26/so; rm -rf $W; mkdir -p $W/spool
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
JAVA_OPTS="-Xmx64m -Dparley.server.port=$PORT -Dparley.http.port=0 -Dparley.filetransfer.spool-dir=$W/spool -Dparley.filetransfer.quota-bytes=1000GiB $SERVER_OPTS" $P server >$W/server.log 2>&1 &
SPID=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
n=0
for rep in ${REPS:-1}; do
for o in "$@"; do
  n=$((n+1))
  S0=$(awk '{print $14+$15}' /proc/$SPID/stat)
  JAVA_OPTS="$o" /usr/bin/time -f "%e s wall %U user %S sys" -o $W/t $P send --port $PORT --nick s$n --to '#void' "$FILE" >$W/send$n.log 2>&1 || cat $W/send$n.log
  S1=$(awk '{print $14+$15}' /proc/$SPID/stat)
  echo "[$o] send: $(cat $W/t); server cpu $(( S1-S0 ))0 ms; load $(cut -d' ' -f1 /proc/loadavg)"
  rm -f $W/spool/*.file
done
done
kill $SPID; wait $SPID
