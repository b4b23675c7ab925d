#!/bin/bash
for r in 1 2 3; do
 for who in before after; do
  home=$([ $who = before ] && echo /tmp/c26/base/launcher/target/parley || echo /work/wt/cli26/launcher/target/parley)
  echo "## $who round $r $(date -u +%H:%M:%S) UTC"
  PARLEY=$home/bin/parley ./recvonly.sh big.bin ""
 done
done
