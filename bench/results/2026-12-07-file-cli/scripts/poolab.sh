#!/bin/bash
for r in 1 2 3; do
 for who in nopool pool; do
  home=$([ $who = nopool ] && echo /tmp/c26/nopool || echo /work/wt/cli26/launcher/target/parley)
  echo "## $who round $r $(date -u +%H:%M:%S) UTC"
  PARLEY=$home/bin/parley ./recvonly.sh big.bin ""
 done
done
