#!/bin/bash
Q=/tmp/quiet; D=/tmp/dq
echo "$(date +%H:%M:%S) quiet2 start, load $(cut -d' ' -f1-3 /proc/loadavg)" >> $Q/run.log
sed -i 's/^for i in \$(seq 1 \$R); do$/for i in $(seq ${FIRST:-1} $R); do/' /tmp/quiet-sat.sh
D=$D OUT=$Q/sat FIRST=3 ROUNDS=3 /tmp/quiet-sat.sh >> $Q/sat.out 2>&1
echo "$(date +%H:%M:%S) sat round 3 done, load $(cut -d' ' -f1-3 /proc/loadavg)" >> $Q/run.log
$D/bin/parley bench file --end-to-end --parley-home $D -X 1024 --warmup 64 --server-xmx 64m 2>&1 | tee -a $Q/file-e2e.out | grep '^RESULT' >> $Q/file-e2e.jsonl
echo "$(date +%H:%M:%S) file e2e 2 done, load $(cut -d' ' -f1-3 /proc/loadavg)" >> $Q/run.log
