#!/bin/bash
# CPU of each command, before and after, interleaved: parley send to an empty room, parley receive of a complete file.
for r in 1 2; do
 for who in before after; do
  home=$([ $who = before ] && echo /tmp/c26/base/launcher/target/parley || echo /work/wt/cli26/launcher/target/parley)
  echo "## $who round $r $(date -u +%H:%M:%S) UTC"
  PARLEY=$home/bin/parley ./sendonly.sh big.bin ""
  PARLEY=$home/bin/parley ./recvonly.sh big.bin ""
 done
done
