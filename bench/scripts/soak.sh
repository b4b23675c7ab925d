#!/usr/bin/env bash
# The cluster kill-loop soak (docs/cluster.md, "Kill-loop soak"): three clustered servers of the packaged
# distribution on loopback, clients chatting with RESUME, a node killed, stopped or frozen every 20-40 s (kinds dealt in rounds), and
# a checker that fails the run on any lost acknowledged message, reordering, reused msgid or lost session.
#
#   bench/scripts/soak.sh                          # 10 minutes, random seed (printed)
#   DURATION=2m SEED=42 bench/scripts/soak.sh      # replay a seed, shorter
#   bench/scripts/soak.sh --store-url 'jdbc:postgresql://127.0.0.1:5432/parley?user=parley'   # more options: parley bench soak --help
#   bench/scripts/soak.sh --kinds rolling --upgrade-from /path/to/previous/parley   # a rolling upgrade under traffic
#
# Builds the distribution when it is missing. Keeps the run under bench/results/: the table, the violations and
# the disruptions as <date>-soak-<commit>.md, the raw logs (per client, per node) as <date>-soak-<commit>.logs.tar.gz.
# Exits with the soak's code: 0 no violation, 1 violations or a failed run.
set -euo pipefail

DURATION=${DURATION:-10m}
SEED=${SEED:-$(( $(date +%s%N) % 1000000000 ))}
SOAK_JAVA_OPTS=${SOAK_JAVA_OPTS:--Xmx256m}

root=$(cd "$(dirname "$0")/../.." && pwd)
PARLEY_HOME=${PARLEY_HOME:-$root/launcher/target/parley}
RESULTS_DIR=${RESULTS_DIR:-$root/bench/results}
COMMIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
# A run of uncommitted code says so; a second run of one commit on one day gets its seed in the name rather
# than replacing the first one's results.
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  COMMIT="$COMMIT-dirty"
fi
RUN_NAME=${RUN_NAME:-$(date -u +%Y-%m-%d)-soak-$COMMIT}
if [ -e "$RESULTS_DIR/$RUN_NAME.md" ]; then
  RUN_NAME="$RUN_NAME-seed-$SEED"
fi
OUT=${OUT:-$root/bench/target/soak/$RUN_NAME}

if ! [ -x "$PARLEY_HOME/bin/parley" ]; then
  echo "soak: building the distribution (mvn package)" >&2
  (cd "$root" && mvn -B -o -q package -DskipTests -DskipITs)
fi
rm -rf "$OUT"
mkdir -p "$OUT" "$RESULTS_DIR"

load=$(cut -d' ' -f1-3 /proc/loadavg)
set +e
JAVA_OPTS="$SOAK_JAVA_OPTS" "$PARLEY_HOME/bin/parley" bench soak --parley-home "$PARLEY_HOME" \
    --duration "$DURATION" --seed "$SEED" --out "$OUT" "$@" 2>&1 | tee "$OUT/console.txt"
status=${PIPESTATUS[0]}
set -e
{
  echo "# Cluster kill-loop soak, $(date -u +%Y-%m-%d), commit $COMMIT"
  echo
  echo "Command: \`DURATION=$DURATION SEED=$SEED bench/scripts/soak.sh $*\` on $(nproc) cores shared with other work"
  echo "(load average at start: $load); exit code $status."
  echo
  echo '```'
  cat "$OUT/console.txt"
  echo '```'
} > "$RESULTS_DIR/$RUN_NAME.md"
tar -czf "$RESULTS_DIR/$RUN_NAME.logs.tar.gz" -C "$(dirname "$OUT")" "$(basename "$OUT")"
echo "soak: table in $RESULTS_DIR/$RUN_NAME.md, raw logs in $RESULTS_DIR/$RUN_NAME.logs.tar.gz" >&2
exit "$status"
