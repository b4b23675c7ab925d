#!/usr/bin/env bash
# Beside a running soak (bench/scripts/soak.sh), takes thread dumps of its nodes whenever a node log gains a
# "Suspecting Member" line (Hazelcast counting a member out): every running node (not one stopped with SIGSTOP)
# is dumped with jstack every 0.5 s for 9 s. Made to catch why two healthy survivors sometimes stop hearing
# each other right after a frozen node was removed (docs/cluster.md, "Ten minutes on PostgreSQL (2026-12-08)").
# Each dump pauses a node for a moment, so a run with it is a diagnosis, not a measurement.
#
#   bench/scripts/soak.sh --kinds stop ... &
#   bench/scripts/soak-thread-dumps.sh bench/target/soak/<run> /tmp/dumps
#
# Stops when the soak ends. Dumps are named <time>-<pid>-<n>.txt.
set -euo pipefail
run=${1:?usage: soak-thread-dumps.sh <soak output dir> <dump dir>}
dumps=${2:?usage: soak-thread-dumps.sh <soak output dir> <dump dir>}
mkdir -p "$dumps"
seen=0
while pgrep -f "bench soak" >/dev/null; do
  count=$(cat "$run"/node-*.log 2>/dev/null | grep -c "Suspecting Member" || true)
  if [ "$count" -gt "$seen" ]; then
    at=$(date +%H%M%S)
    for n in $(seq -w 1 18); do
      for pid in $(ps -eo pid,stat,args | grep "$run/node-[123].conf" | grep -v grep | awk '$2 !~ /T/ {print $1}'); do
        timeout 2 jstack "$pid" > "$dumps/$at-$pid-$n.txt" 2>&1 &
      done
      sleep 0.5
    done
    wait
    seen=$(cat "$run"/node-*.log 2>/dev/null | grep -c "Suspecting Member" || true)
  fi
  sleep 0.2
done
