#!/usr/bin/env bash
# The durable store's cost, as a ratio in one run: the same chat load against a server keeping messages in
# memory (parley.store.url = memory:), in SQLite (the default) and, with PARLEY_BENCH_PG set, in PostgreSQL.
#
#   bench/scripts/store-ratio.sh                        # 3 rounds, about 6 minutes
#   PARLEY_BENCH_PG='jdbc:postgresql://127.0.0.1:5432/bench' PARLEY_BENCH_PG_USER=parley bench/scripts/store-ratio.sh
#   ROUNDS=1 DURATION=3 bench/scripts/store-ratio.sh    # a smoke run
#
# Two scenarios: "pipelined", one publisher keeping PIPELINE_WINDOW SAYs in flight to one other member (what the
# group commit has to keep up with), and "fanout", FANOUT_PUBLISHERS of FANOUT_MEMBERS publishing with window
# WINDOW (compare.sh's fan-out). Each round starts a fresh server per store, stores interleaved, so a noisy
# moment hits all of them. The raw RESULT lines go to bench/results/<date>-store-ratio-<commit>.jsonl and the
# medians with their ratio to memory to the .md next to it. Loopback only; every run stops by itself.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
PIPELINE_WINDOW=${PIPELINE_WINDOW:-200}
FANOUT_MEMBERS=${FANOUT_MEMBERS:-100}
FANOUT_PUBLISHERS=${FANOUT_PUBLISHERS:-4}
WINDOW=${WINDOW:-16}
PARLEY_XMX=${PARLEY_XMX:--Xmx1g}
PORT=${PORT:-28878}

root=$(cd "$(dirname "$0")/../.." && pwd)
PARLEY_HOME=$(cd "${PARLEY_HOME:-$root/launcher/target/parley}" && pwd)
RESULTS_DIR=${RESULTS_DIR:-$root/bench/results}
COMMIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
RUN_NAME=${RUN_NAME:-$(date -u +%Y-%m-%d)-store-ratio-$COMMIT}
command -v jq >/dev/null || { echo "store-ratio: needs jq (apt-get install jq)" >&2; exit 2; }
[ -x "$PARLEY_HOME/bin/parley" ] || (cd "$root" && mvn -q -o package -DskipTests -DskipITs -pl launcher -am)

WORK=$(mktemp -d /tmp/parley-store-ratio.XXXXXX)
RAW="$WORK/results.jsonl"
: >"$RAW"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '%s store-ratio: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stores=(memory sqlite)
[ -n "${PARLEY_BENCH_PG:-}" ] && stores+=(postgresql)

store_opts() { # store, directory
  case $1 in
    memory) echo "-Dparley.store.url=memory:" ;;
    sqlite) echo "-Dparley.store.url=jdbc:sqlite:$2/parley.db" ;;
    postgresql) echo "-Dparley.store.url=$PARLEY_BENCH_PG -Dparley.store.user=${PARLEY_BENCH_PG_USER:-parley}" ;;
  esac
}

start_server() { # store, directory
  mkdir -p "$2"
  # shellcheck disable=SC2046
  (cd "$2" && JAVA_OPTS="$PARLEY_XMX $(store_opts "$1" "$2") -Dparley.server.port=$PORT -Dparley.http.enabled=false \
    -Dparley.limits.max-connections-per-address=0" exec "$PARLEY_HOME/bin/parley" server >"$2/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  log "the $1 server did not listen; its log:"; cat "$2/server.log" >&2; exit 1
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

run() { # scenario, store, bench args...
  local scenario=$1 store=$2 line; shift 2
  if line=$("$PARLEY_HOME/bin/parley" bench fanout --port "$PORT" --pid "$SERVER_PID" -d "$DURATION" \
      --warmup "$WARMUP" "$@" 2>"$WORK/bench.err" | grep '^RESULT ' | tail -1) && [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c --arg key "$scenario" --arg store "$store" \
      --arg load "$(cut -d' ' -f1 /proc/loadavg)" '. + {key: $key, store: $store, load: $load}' >>"$RAW"
    log "$scenario $store: $(echo "${line#RESULT }" | jq -r '"\(.msgs_per_s) msgs/s, \(.deliveries_per_s) deliveries/s, p99 \(.p99_us) us, lost \(.lost)"')"
  else
    log "$scenario $store: no result"; cat "$WORK/bench.err" >&2
  fi
}

for round in $(seq 1 "$ROUNDS"); do
  for store in "${stores[@]}"; do
    dir="$WORK/$store-$round"
    start_server "$store" "$dir"
    run pipelined "$store" -S 2 -P 1 -W "$PIPELINE_WINDOW"
    run fanout "$store" -S "$FANOUT_MEMBERS" -P "$FANOUT_PUBLISHERS" -W "$WINDOW"
    stop_server
  done
done

mkdir -p "$RESULTS_DIR"
cp "$RAW" "$RESULTS_DIR/$RUN_NAME.jsonl"
{
  echo "# Store ratio run $RUN_NAME"
  echo
  echo "$(date -u +%FT%TZ), commit $COMMIT, $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "$ROUNDS rounds of ${DURATION}s measured after ${WARMUP}s warm-up, server $PARLEY_XMX, HTTP off."
  echo "pipelined: -S 2 -P 1 -W $PIPELINE_WINDOW; fanout: -S $FANOUT_MEMBERS -P $FANOUT_PUBLISHERS -W $WINDOW."
  echo
  echo "| scenario | store | messages/s | deliveries/s | p99 ms | lost | vs memory (messages/s) |"
  echo "|---|---|---|---|---|---|---|"
  jq -s -r '
    def median: sort | if length == 0 then null elif length % 2 == 1 then .[length/2|floor]
                       else (.[length/2-1] + .[length/2]) / 2 end;
    group_by(.key) | map(
      (map(select(.store == "memory") | .msgs_per_s) | median) as $mem
      | group_by(.store) | map({key: .[0].key, store: .[0].store, m: (map(.msgs_per_s) | median),
          d: (map(.deliveries_per_s) | median), p99: (map(.p99_us) | median), lost: (map(.lost) | add)})
      | map("| \(.key) | \(.store) | \(.m | floor) | \(.d | floor) | \(.p99 / 100 | floor / 10) | \(.lost) | "
            + (if $mem then "\((.m / $mem * 100) | floor) %" else "" end) + " |"))
    | flatten | .[]' "$RAW"
} >"$RESULTS_DIR/$RUN_NAME.md"
cat "$RESULTS_DIR/$RUN_NAME.md"
