#!/bin/bash
# The quiet window: #21 many, #20 store ratio, #26 file end to end; distribution $D (a copy of main's)
set -u
D=${D:-/tmp/dq}; Q=/tmp/quiet; mkdir -p $Q
log() { echo "$(date +%H:%M:%S) $*" | tee -a $Q/run.log; }
log "start, load $(cut -d' ' -f1-3 /proc/loadavg)"
D=$D OUT=$Q/sat ROUNDS=2 /tmp/quiet-sat.sh > $Q/sat.out 2>&1
log "sat done, load $(cut -d' ' -f1-3 /proc/loadavg)"
D=$D OUT=$Q/many ROUNDS=2 /tmp/quiet-many.sh > $Q/many.out 2>&1
log "many done, load $(cut -d' ' -f1-3 /proc/loadavg)"
cd /work/wt/sqlite20 && PARLEY_HOME=/tmp/dq-sq PARLEY_HOME_B=$D STORES="memory sqlite@b sqlite" SCENARIOS=pipelined ROUNDS=3 RESULTS_DIR=$Q RUN_NAME=store-ratio-ab bench/scripts/store-ratio.sh > $Q/store-ratio.out 2>&1
log "store-ratio done, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1; do
  $D/bin/parley bench file --end-to-end --parley-home $D -X 1024 --warmup 64 --server-xmx 64m 2>&1 | tee -a $Q/file-e2e.out | grep '^RESULT' >> $Q/file-e2e.jsonl
  log "file e2e $i done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
log "end"
