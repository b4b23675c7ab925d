#!/usr/bin/env bash
# Rolling restart of three clustered servers (shared PostgreSQL) under three piped `parley chat` users, one per
# node, each naming the others as fallbacks; every user says a numbered line every 2 s throughout.
set -u
P=${PARLEY_HOME:-$(cd "$(dirname "$0")/../../.." && pwd)/launcher/target/parley}/bin/parley
D=/tmp/rolling-chat; rm -rf $D; mkdir -p $D
DB=${DB:-soak32}
for i in 1 2 3; do cat > $D/n$i.conf <<EOC
parley.server.host = 127.0.0.1
parley.http.port = 0
parley.cluster { enabled = true, name = rolling-chat, host = 127.0.0.1, port = $((5900+i))
  members = ["127.0.0.1:5901", "127.0.0.1:5902", "127.0.0.1:5903"]
  hazelcast { "hazelcast.heartbeat.interval.seconds" = 1, "hazelcast.max.no.heartbeat.seconds" = 5 } }
parley.filetransfer.spool-dir = "$D/spool"
parley.store.url = "jdbc:postgresql://127.0.0.1:25432/$DB?user=parley"
EOC
done
start() { (cd $D && exec $P server --port $((7200+$1)) --config $D/n$1.conf >> $D/n$1.log 2>&1 &) ; 
  for _ in $(seq 1 80); do [ "$(grep -c 'listening on' $D/n$1.log)" -ge "${2:-1}" ] && break; sleep 0.5; done; }
pid() { pgrep -f "$D/n$1.conf" | head -1; }
start 1; start 2; start 3
sleep 2
users=(alice bob carol)
for i in 0 1 2; do
  n=$((i+1)); others=""; for j in 1 2 3; do [ $j != $n ] && others="$others --fallback 127.0.0.1:$((7200+j))"; done
  (for k in $(seq 1 45); do echo "${users[$i]} line $k"; sleep 2; done; sleep 8; echo /quit) \
    | $P chat --port $((7200+n)) $others --nick ${users[$i]} --room '#rolling' > $D/${users[$i]}.out 2>&1 &
done
sleep 12
for n in 1 2 3; do
  echo "$(date +%T) SIGTERM node $n"; kill -TERM $(pid $n)
  while pgrep -f "$D/n$n.conf" > /dev/null; do sleep 0.2; done
  echo "$(date +%T) node $n exited"; sleep 3
  start $n 2; echo "$(date +%T) node $n listening again"; sleep 15
done
wait
for u in alice bob carol; do echo "== $u: $(grep -c 'line' $D/$u.out) lines seen, reconnected $(grep -ci 'reconnected' $D/$u.out), left $(grep -ci 'left' $D/$u.out), joined $(grep -ci 'joined' $D/$u.out)"; done
for u in alice bob carol; do for v in alice bob carol; do [ $u = $v ] && continue; echo "$u saw $(grep -c "<$v> $v line\|$v: $v line\|$v line" $D/$u.out) of 45 lines of $v"; done; done
for n in 1 2 3; do kill $(pid $n) 2>/dev/null; done
