#!/bin/bash
# Interleaved: the base distribution (before) and this branch's (after), each through the same bench tool.
OUT=$1; shift
B=/work/wt/cli26/launcher/target/parley/bin/parley
for round in "$@"; do
  for who in before after; do
    home=$([ $who = before ] && echo /tmp/c26/base/launcher/target/parley || echo /work/wt/cli26/launcher/target/parley)
    echo "## $who (round $round, $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" >> $OUT
    $B bench file --end-to-end --parley-home $home --file /tmp/c26/big.bin >> $OUT 2>&1
  done
done
