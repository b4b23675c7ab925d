#!/usr/bin/env bash
# Parley side by side with nats-server and ngircd (and socat for file copies), all on loopback, in one run.
#
#   bench/scripts/compare.sh            # defaults below: about 10-12 minutes on 2 cores
#   RUNS=1 DURATION=3 bench/scripts/compare.sh          # a quick smoke run
#   IDLE_CONNS=10000 FILE_MIB=1024 bench/scripts/compare.sh   # the full-size targets
#   STALLED_RUNS=3 FLOOD_RUNS=1 MANY_RUNS=3 bench/scripts/compare.sh   # also issue #21's overload rows (off by default)
#
# Two overload rows are off by default because they are long: STALLED_RUNS (the saturated fan-out with
# STALLED_MEMBERS members that join and never read, Parley beside nats-server, 70 s per run and target;
# `bench fanout --saturate --stalled-members`) and FLOOD_RUNS (Parley alone at FLOOD_XMX: FLOOD_CONNS
# connections pipeline FLOOD_BYTES of 4 kB PINGs each and never read while a probe is timed, then SIGTERM
# after FLOOD_TERM_AFTER s; `bench flood`, about 40 s per run with the server's start and exit). MANY_RUNS is a
# third: MANY_CONNS registered connections to a fresh Parley and a fresh nats-server in turn, rooms of 100, one
# member per room chatting at 1 message/s (`bench many`, about 50 s per run and target); it needs a descriptor
# limit above MANY_CONNS for the tool and for each server.
#
# Installs nats-server, ngircd and socat from Debian's packages when missing. Starts every server on
# 127.0.0.1 with the settings written below, runs each scenario RUNS times per target (targets interleaved,
# so a noisy moment hits all of them), takes medians, and keeps the run under bench/results/: the raw RESULT
# lines as <date>-compare-<commit>.jsonl and a short summary (parameters, the table of
# bench/scripts/summarize.sh) as the .md next to it (RESULTS_DIR and RUN_NAME override where and as what).
# WRITE_DOC=1 also copies the table between the compare markers of docs/performance.md.
# Every load run stops by itself; the servers are stopped on exit.
set -euo pipefail

# ---- parameters (sizes are environment variables with defaults) ----
RUNS=${RUNS:-3}                     # repetitions per scenario and target; medians are reported
DURATION=${DURATION:-8}             # measured seconds per chat run
WARMUP=${WARMUP:-3}                 # warm-up seconds per chat run (not measured)
MSG_BYTES=${MSG_BYTES:-100}         # message text size
WINDOW=${WINDOW:-16}                # unacknowledged messages per publisher
FANOUT_MEMBERS=${FANOUT_MEMBERS:-100}
FANOUT_PUBLISHERS=${FANOUT_PUBLISHERS:-4}
BIG_MEMBERS=${BIG_MEMBERS:-1000}    # the one-publisher big room
ROOMS=${ROOMS:-50}
ROOM_MEMBERS=${ROOM_MEMBERS:-20}
IDLE_CONNS=${IDLE_CONNS:-2000}      # the target is stated for 10000: IDLE_CONNS=10000
IRC_IDLE_CONNS=${IRC_IDLE_CONNS:-500}  # ngircd accepts only some 30-60 connections/s here: keep its idle run short
IDLE_RUNS=${IDLE_RUNS:-$RUNS}       # idle repetitions, each against fresh servers; the median is reported
FILE_MIB=${FILE_MIB:-256}           # the target is stated for 1 GiB: FILE_MIB=1024
FILE_XMX=${FILE_XMX:--Xmx64m}       # heap of the Parley server that spools the file
FILE_WARMUP_MIB=${FILE_WARMUP_MIB:-64}  # an untimed file up and back first, on each fresh server
E2E_RUNS=${E2E_RUNS:-1}             # parley send -> parley receive end to end beside socat (bench file --end-to-end)
COLD_WAIT=${COLD_WAIT:-8}           # seconds between deleting a copy's previous output and the next copy
STARTUP_RUNS=${STARTUP_RUNS:-5}
SAT_RUNS=${SAT_RUNS:-$RUNS}         # the saturated fan-out: window 200, 10 s warm-up, 60 s measured (fanout --saturate)
STALLED_RUNS=${STALLED_RUNS:-0}     # the saturated fan-out with members that never read, Parley and nats-server; 0 = off
STALLED_MEMBERS=${STALLED_MEMBERS:-1}
FLOOD_RUNS=${FLOOD_RUNS:-0}         # the PING flood against Parley at FLOOD_XMX (bench flood); 0 = off
FLOOD_XMX=${FLOOD_XMX:--Xmx128m}
FLOOD_CONNS=${FLOOD_CONNS:-100}
FLOOD_BYTES=${FLOOD_BYTES:-6MiB}    # pipelined by each flood connection
FLOOD_DURATION=${FLOOD_DURATION:-30}
FLOOD_TERM_AFTER=${FLOOD_TERM_AFTER:-25}  # SIGTERM this many seconds into the flood; the exit time is reported
MANY_RUNS=${MANY_RUNS:-0}           # many registered connections (bench many), Parley and nats-server; 0 = off
MANY_CONNS=${MANY_CONNS:-19000}     # a multiple of 100; the hard descriptor limit here is 20,000
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PARLEY_XMX=${PARLEY_XMX:--Xmx1g}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
PARLEY_PORT=${PARLEY_PORT:-27878}
PARLEY_FILE_PORT=${PARLEY_FILE_PORT:-27879}
NATS_PORT=${NATS_PORT:-24222}
IRC_PORT=${IRC_PORT:-26667}
SOCAT_PORT=${SOCAT_PORT:-25555}
PARLEY_FLOOD_PORT=${PARLEY_FLOOD_PORT:-27880}
PARLEY_FLOOD_HTTP_PORT=${PARLEY_FLOOD_HTTP_PORT:-27881}
PARLEY_MANY_PORT=${PARLEY_MANY_PORT:-27882}
NATS_MANY_PORT=${NATS_MANY_PORT:-24223}
WRITE_DOC=${WRITE_DOC:-0}              # 1: also write the table into docs/performance.md
PROFILE=${PROFILE:-0}               # 1: record a JFR profile of Parley during the fan-out runs

root=$(cd "$(dirname "$0")/../.." && pwd)
PARLEY_HOME=${PARLEY_HOME:-$root/launcher/target/parley}
OUT=${OUT:-$root/bench/target/compare}
RESULTS_DIR=${RESULTS_DIR:-$root/bench/results}
COMMIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
RUN_NAME=${RUN_NAME:-$(date -u +%Y-%m-%d)-compare-$COMMIT}
mkdir -p "$OUT"
: > "$OUT/results.jsonl"
WORK=$(mktemp -d /tmp/parley-compare.XXXXXX)
started=()
log() { printf '%s compare: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  sleep 1
  for pid in "${started[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- tools ----
missing=()
command -v nats-server >/dev/null || missing+=(nats-server)
command -v ngircd >/dev/null || missing+=(ngircd)
command -v socat >/dev/null || missing+=(socat)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

BENCH_JAR=$(ls "$root"/bench/target/parley-bench-*.jar 2>/dev/null | sed -n 1p || true)
if [ -z "$BENCH_JAR" ] || [ ! -d "$root/bench/target/lib" ]; then
  log "building the load tool"
  (cd "$root" && mvn -q -o package -DskipTests -pl bench -am)
  BENCH_JAR=$(ls "$root"/bench/target/parley-bench-*.jar | sed -n 1p)
fi
if [ ! -x "$PARLEY_HOME/bin/parley" ]; then
  log "building the Parley distribution"
  (cd "$root" && mvn -q -o package -DskipTests -pl launcher -am)
fi
# shellcheck disable=SC2086
bench() { java $BENCH_JAVA_OPTS -p "$root/bench/target/lib:$BENCH_JAR" -m dev.parley.bench/dev.parley.bench.cli.BenchCommand "$@"; }

wait_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  log "nothing listens on port $1"; return 1
}

# ---- servers ----
start_parley() { # port, extra JAVA_OPTS, directory
  mkdir -p "$3"
  (cd "$3" && JAVA_OPTS="$2 -Dparley.server.port=$1 -Dparley.limits.max-connections=20000 -Dparley.limits.max-connections-per-address=0" \
    exec "$PARLEY_HOME/bin/parley" server >"$3/server.log" 2>&1) &
  echo $!
}

profile_opts=""
if [ "$PROFILE" = 1 ]; then
  profile_opts="-XX:StartFlightRecording=filename=$OUT/parley.jfr,settings=profile,dumponexit=true"
fi
start_nats() { # port, log file
  nats-server -a 127.0.0.1 -p "$1" >"$2" 2>&1 &
  echo $!
}
# ngircd, configured for a benchmark rather than a public network: no per-IP or per-user channel limits,
# no flood penalty (MaxPenaltyTime = 0 turns the penalty off), no DNS/ident/PAM look-ups on connect, and
# keep-alive timeouts long enough that idle benchmark members are not pinged away.
start_irc() { # port, directory
  mkdir -p "$2"
  cat >"$2/ngircd.conf" <<CONF
[Global]
	Name = bench.irc
	Info = Parley comparison
	Listen = 127.0.0.1
	Ports = $1
	MotdPhrase = bench
	PidFile = $2/ngircd.pid
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 600
	PongTimeout = 600
[Options]
	DNS = no
	Ident = no
	PAM = no
CONF
  ngircd -n -f "$2/ngircd.conf" >"$2/ngircd.log" 2>&1 &
  echo $!
}
# The three chat servers, fresh, on their ports. Called as $(...), the start functions run in a subshell: the
# pids are recorded here, for stop_servers and for cleanup (an earlier version recorded them inside, where
# they were lost, and left the servers running after every comparison).
start_servers() { # extra Parley JAVA_OPTS, name of this set (directories, logs)
  PARLEY_PID=$(start_parley "$PARLEY_PORT" "$PARLEY_XMX $1" "$WORK/parley$2")
  NATS_PID=$(start_nats "$NATS_PORT" "$WORK/nats$2.log")
  IRC_PID=$(start_irc "$IRC_PORT" "$WORK/irc$2")
  started+=("$PARLEY_PID" "$NATS_PID" "$IRC_PID")
  wait_port "$PARLEY_PORT"; wait_port "$NATS_PORT"; wait_port "$IRC_PORT"
}
stop_servers() {
  kill "$PARLEY_PID" "$NATS_PID" "$IRC_PID" 2>/dev/null || true
  for pid in "$PARLEY_PID" "$NATS_PID" "$IRC_PID"; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
}

port_of() { case $1 in parley) echo "$PARLEY_PORT";; nats) echo "$NATS_PORT";; irc) echo "$IRC_PORT";; esac; }
pid_of() { case $1 in parley) echo "$PARLEY_PID";; nats) echo "$NATS_PID";; irc) echo "$IRC_PID";; esac; }

# run KEY TARGET bench-args...: one bench run, its RESULT kept with the key. The chat scenarios also get the
# server's pid, so the load tool reports the server's CPU time over the measured window (server_cores,
# server_ns_per_delivery): all three servers share the machine's cores with the load tool, so throughput alone
# does not say which server does less work.
run() {
  local key=$1 target=$2; shift 2
  local line pid=()
  case $key in fanout|bigroom|rooms|sameload|saturated|stalled) pid=(--pid "$(pid_of "$target")");; esac
  if line=$(bench "$@" "${pid[@]}" --target "$target" --port "$(port_of "$target")" 2>"$WORK/bench.err" | grep '^RESULT ' | tail -1) && [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c --arg key "$key" --arg load "$(cut -d' ' -f1 /proc/loadavg)" '. + {key: $key, load: $load}' >>"$OUT/results.jsonl"
    log "$key $target: $(echo "${line#RESULT }" | jq -r '[.deliveries_per_s // .rss_per_connection_bytes // .upload_mib_s // .startup_ms, .p99_us // "", .server_cores // ""] | map(tostring) | join(" ")')"
  else
    log "$key $target: FAILED ($(tail -2 "$WORK/bench.err" | tr '\n' ' '))"
  fi
}

# 1. idle connections, first: each repetition against fresh servers, whose empty RSS is the baseline. A single
# reading moves with when a JVM's collector last ran (Parley's ranged 3.8-7.1 KB per connection over the
# single readings of the runs in bench/results/), so this row too is a median, of IDLE_RUNS.
for i in $(seq 1 "$IDLE_RUNS"); do
  start_servers "" "-idle-$i"
  for t in parley nats irc; do
    n=$IDLE_CONNS
    [ "$t" = irc ] && [ "$IRC_IDLE_CONNS" -lt "$n" ] && n=$IRC_IDLE_CONNS
    run idle "$t" idle -N "$n" --pid "$(pid_of "$t")" --hold 3
  done
  stop_servers
done
start_servers "$profile_opts" ""
log "servers up: parley pid $PARLEY_PID, nats-server pid $NATS_PID, ngircd pid $IRC_PID"

# 2. chat scenarios, targets interleaved within each repetition
chat() { run "$@" -B "$MSG_BYTES" -W "$WINDOW" -d "$DURATION" --warmup "$WARMUP"; }
for i in $(seq 1 "$RUNS"); do
  for t in parley nats irc; do
    chat fanout "$t" fanout -S "$FANOUT_MEMBERS" -P "$FANOUT_PUBLISHERS"
    chat bigroom "$t" fanout -S "$BIG_MEMBERS" -P 1
    chat rooms "$t" rooms -R "$ROOMS" -k "$ROOM_MEMBERS"
  done
done

# 3. latency at the same offered load: half of the slowest target's fan-out rate, for every target
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "null"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
slowest=$(for t in parley nats irc; do jq -r --arg t "$t" 'select(.key=="fanout" and .target==$t) | .msgs_per_s' "$OUT/results.jsonl" | median; done | sort -g | sed -n 1p)
RATE=${RATE:-$(awk -v m="$slowest" -v p="$FANOUT_PUBLISHERS" 'BEGIN {r = m / 2 / p; if (r < 10) r = 10; printf "%d", r}')}
log "same-load latency at $RATE msgs/s per publisher"
for i in $(seq 1 "$RUNS"); do
  for t in parley nats irc; do
    chat sameload "$t" fanout -S "$FANOUT_MEMBERS" -P "$FANOUT_PUBLISHERS" --rate "$RATE"
  done
done

# 4. saturated, 60 s: publishers keep 200 messages in flight; a server that accepts faster than it delivers
# either slows them (flow control) or cuts its readers off, which cut_off and delivered/acknowledged show
for i in $(seq 1 "$SAT_RUNS"); do
  for t in parley nats irc; do
    run saturated "$t" fanout --saturate -S "$FANOUT_MEMBERS" -P "$FANOUT_PUBLISHERS" -B "$MSG_BYTES"
  done
done

# Overload 1: the same saturated room with STALLED_MEMBERS members that join and never read (Parley and nats-server, whose
# slow-consumer limits stay at their defaults): when the server cut each off (its end of the socket closed), and
# what the readers kept meanwhile
for i in $(seq 1 "$STALLED_RUNS"); do
  for t in parley nats; do
    run stalled "$t" fanout --saturate --stalled-members "$STALLED_MEMBERS" -S "$FANOUT_MEMBERS" -P "$FANOUT_PUBLISHERS" -B "$MSG_BYTES"
  done
done

# Overload 2, the memory bound: a fresh Parley at FLOOD_XMX, FLOOD_CONNS connections pipelining FLOOD_BYTES of PINGs that
# never read, a probe timed every 100 ms, then SIGTERM; its log is searched for OutOfMemoryError and ERROR lines
for i in $(seq 1 "$FLOOD_RUNS"); do
  FLOOD_PID=$(start_parley "$PARLEY_FLOOD_PORT" "$FLOOD_XMX -Dparley.http.port=$PARLEY_FLOOD_HTTP_PORT" "$WORK/parley-flood-$i")
  started+=("$FLOOD_PID")
  wait_port "$PARLEY_FLOOD_PORT"; wait_port "$PARLEY_FLOOD_HTTP_PORT"
  line=$(bench flood --port "$PARLEY_FLOOD_PORT" -C "$FLOOD_CONNS" -b "$FLOOD_BYTES" -d "$FLOOD_DURATION" \
    --term-after "$FLOOD_TERM_AFTER" --pid "$FLOOD_PID" --server-log "$WORK/parley-flood-$i/server.log" \
    --metrics "http://127.0.0.1:$PARLEY_FLOOD_HTTP_PORT/metrics" 2>"$WORK/bench.err" | grep '^RESULT ' || true)
  if [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c --arg load "$(cut -d' ' -f1 /proc/loadavg)" --arg xmx "$FLOOD_XMX" \
      '. + {key: "flood", load: $load, server_xmx: $xmx}' >>"$OUT/results.jsonl"
    log "flood parley: $(echo "${line#RESULT }" | jq -r '"probe p99 \(.probe_p99_us / 1000 | floor) ms, \(.probes_late) of \(.probes) late, \(.flood_cut_off) cut off, SIGTERM to exit \(.term_exit_ms | floor) ms"')"
  else
    log "flood parley: FAILED ($(tail -2 "$WORK/bench.err" | tr '\n' ' '))"
  fi
  kill "$FLOOD_PID" 2>/dev/null || true
  while kill -0 "$FLOOD_PID" 2>/dev/null; do sleep 0.1; done
done

# Overload 3, many connections: a fresh Parley (PARLEY_XMX, memory store) and a fresh nats-server in turn hold
# MANY_CONNS registered connections from 127.0.0.1-127.0.0.8; Parley's RSS and live heap per connection are
# measured (nats-server's RSS too; its heap is not a JVM's), and the delivery latency of the one chatting member
# per room
many_row() { # target, port, pid
  local line
  if line=$(bench many --target "$1" --port "$2" --pid "$3" -N "$MANY_CONNS" 2>"$WORK/bench.err" | grep '^RESULT ' | tail -1) && [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c --arg load "$(cut -d' ' -f1 /proc/loadavg)" --arg xmx "$PARLEY_XMX" \
      '. + {key: "many", load: $load, server_xmx: $xmx}' >>"$OUT/results.jsonl"
    log "many $1: $(echo "${line#RESULT }" | jq -r '"\(.rss_per_connection_bytes | floor) B RSS per connection after set-up, \(.rss_held_per_connection_bytes | floor) B held, p99 \(.p99_us / 1000) ms"')"
  else
    log "many $1: FAILED ($(tail -2 "$WORK/bench.err" | tr '\n' ' '))"
  fi
}
for i in $(seq 1 "$MANY_RUNS"); do
  MANY_PID=$(start_parley "$PARLEY_MANY_PORT" "$PARLEY_XMX -Dparley.store.url=memory: -Dparley.http.port=0" "$WORK/parley-many-$i")
  started+=("$MANY_PID")
  wait_port "$PARLEY_MANY_PORT"
  many_row parley "$PARLEY_MANY_PORT" "$MANY_PID"
  kill "$MANY_PID" 2>/dev/null || true
  while kill -0 "$MANY_PID" 2>/dev/null; do sleep 0.1; done
  MANY_PID=$(start_nats "$NATS_MANY_PORT" "$WORK/nats-many-$i.log")
  started+=("$MANY_PID")
  wait_port "$NATS_MANY_PORT"
  many_row nats "$NATS_MANY_PORT" "$MANY_PID"
  kill "$MANY_PID" 2>/dev/null || true
  while kill -0 "$MANY_PID" 2>/dev/null; do sleep 0.1; done
done

# 4. a file through Parley (server at FILE_XMX), and socat's loopback copy of the same size, interleaved.
# Both are treated alike before each copy: on this VM the balloon driver hands freed memory back to the host
# (in portions, seconds after it is freed), and writing the page cache into such memory costs several times
# more than into memory just freed (bench/results/2026-11-25-profiles.md, *File hops*, points 3-4). A copy started right after
# deleting the previous output mostly writes warm memory. So before every copy, socat's and Parley's, the
# previous output is deleted and COLD_WAIT seconds pass, and the runs alternate; how cold the memory then is
# still varies with what ran before (socat's own copy has ranged 247-351 MiB/s between runs), hence the medians.
# Each Parley run gets a fresh server and spool; `bench file` first moves a smaller file up and back,
# untimed (--warmup), so the measured hops run compiled code, not the JIT's first minutes.
head -c $((FILE_MIB << 20)) /dev/urandom >"$WORK/socat.in"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/parley-file/spool-$((i - 1))"
  sleep "$COLD_WAIT"
  FILE_PID=$(start_parley "$PARLEY_FILE_PORT" "$FILE_XMX -Dparley.filetransfer.spool-dir=$WORK/parley-file/spool-$i" "$WORK/parley-file")
  started+=("$FILE_PID")
  wait_port "$PARLEY_FILE_PORT"
  line=$(bench file --port "$PARLEY_FILE_PORT" -X "$FILE_MIB" --warmup "$FILE_WARMUP_MIB" 2>"$WORK/bench.err" | grep '^RESULT ' || true)
  if [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c --arg load "$(cut -d' ' -f1 /proc/loadavg)" '. + {key: "file", load: $load}' >>"$OUT/results.jsonl"
    log "file parley: $(echo "${line#RESULT }" | jq -r '"up \(.upload_mib_s) MiB/s, down \(.download_mib_s) MiB/s"')"
  else
    log "file parley: FAILED ($(tail -2 "$WORK/bench.err" | tr '\n' ' '))"
  fi
  kill "$FILE_PID" 2>/dev/null || true
  while kill -0 "$FILE_PID" 2>/dev/null; do sleep 0.1; done

  rm -f "$WORK/socat.out"
  sleep "$COLD_WAIT"
  # The listener accepts one connection (no probe: a probe would be that connection), so give it time to bind.
  socat -u "TCP-LISTEN:$SOCAT_PORT,bind=127.0.0.1,reuseaddr" "CREATE:$WORK/socat.out" &
  listener=$!; started+=($listener)
  sleep 0.3
  t0=$(date +%s.%N)
  socat -u "OPEN:$WORK/socat.in" "TCP:127.0.0.1:$SOCAT_PORT"
  wait "$listener" || true
  t1=$(date +%s.%N)
  jq -nc --argjson mib "$FILE_MIB" --argjson s "$(echo "$t1 - $t0" | bc -l)" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{key: "file", target: "socat", size_bytes: ($mib * 1048576), copy_s: $s, upload_mib_s: ($mib / $s), download_mib_s: ($mib / $s), load: $load}' >>"$OUT/results.jsonl"
  log "file socat: $(tail -1 "$OUT/results.jsonl" | jq -r .upload_mib_s) MiB/s"
done
rm -rf "$WORK/parley-file/spool-$RUNS" "$WORK/socat.out"

# 4b. what a person waits for: `parley send` of the file to a waiting `parley receive`, through the
# distribution's server at FILE_XMX, from the start of the send to the receiver's exit with the verified file,
# beside socat's loopback copy in the same run (the better of two); then each command alone (bench file
# --end-to-end starts the server and the commands itself, as processes).
for i in $(seq 1 "$E2E_RUNS"); do
  line=$(bench file --end-to-end --parley-home "$PARLEY_HOME" -X "$FILE_MIB" --warmup "$FILE_WARMUP_MIB" --server-xmx "${FILE_XMX#-Xmx}" \
    --cold-wait "$COLD_WAIT" 2>"$WORK/bench.err" | grep '^RESULT ' || true)
  if [ -n "$line" ]; then
    echo "${line#RESULT }" | jq -c '. + {key: "file-e2e"}' >>"$OUT/results.jsonl"
    log "file end to end: $(echo "${line#RESULT }" | jq -r '"\(.e2e_s) s vs socat \(.socat_best_s) s (\(.e2e_vs_socat)x)"')"
  else
    log "file end to end: FAILED ($(tail -2 "$WORK/bench.err" | tr '\n' ' '))"
  fi
done

# 5. start-up to the first HELLO: JDK 17, the newest JDK, and the newest with an AOT cache (JEP 483/514)
startup() { # key, java home, extra JAVA_OPTS
  for i in $(seq 1 "$STARTUP_RUNS"); do
    line=$(bench startup --port "$PARLEY_FILE_PORT" -- env JAVA_HOME="$2" JAVA_OPTS="$3 -Dparley.server.port=$PARLEY_FILE_PORT" \
      "$PARLEY_HOME/bin/parley" server 2>"$WORK/bench.err" | grep '^RESULT ' || true)
    [ -n "$line" ] && echo "${line#RESULT }" | jq -c --arg key "$1" --arg load "$(cut -d' ' -f1 /proc/loadavg)" '. + {key: $key, load: $load}' >>"$OUT/results.jsonl"
  done
  log "$1: $(jq -r --arg k "$1" 'select(.key==$k) | .startup_ms' "$OUT/results.jsonl" | median) ms"
}
(cd "$WORK" && startup startup-jdk17 /usr/lib/jvm/java-17-openjdk-amd64 "")
if [ -x "$JDK25/bin/java" ]; then
  (cd "$WORK" && startup startup-jdk25 "$JDK25" "")
  # Training run: start, take one connection, stop; the JVM writes the AOT cache on exit. Without the training
  # run's method profiles (-AOTRecordTraining), as docs/operations.md recommends: on 2 cores their replay
  # has the JIT compile more at start-up, beside the main thread (bench/results/2026-11-25-profiles.md, *Start-up after run 17*).
  (cd "$WORK" && bench startup --port "$PARLEY_FILE_PORT" -- env JAVA_HOME="$JDK25" \
    JAVA_OPTS="-XX:AOTCacheOutput=$WORK/parley.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
-Dparley.server.port=$PARLEY_FILE_PORT" \
    "$PARLEY_HOME/bin/parley" server >/dev/null 2>&1 || true)
  for _ in $(seq 1 100); do [ -s "$WORK/parley.aot" ] && break; sleep 0.1; done
  if [ -s "$WORK/parley.aot" ]; then
    (cd "$WORK" && startup startup-jdk25-aot "$JDK25" "-XX:AOTCache=$WORK/parley.aot")
  else
    log "no AOT cache was written; skipping startup-jdk25-aot"
  fi
fi

# ---- the table, and the run kept under bench/results/ ----
{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM;"
  echo "server JDK $(java -version 2>&1 | sed -n 1p | cut -d'"' -f2) (Parley $PARLEY_XMX, file server $FILE_XMX), nats-server $(nats-server --version | awk '{print $NF}'), ngircd $(ngircd --version | sed -n 1p | awk '{print $2}' | cut -d- -f1)."
  echo "Raw lines: ${RESULTS_DIR#"$root"/}/$RUN_NAME.jsonl."
  "$root/bench/scripts/summarize.sh" "$OUT/results.jsonl"
} >"$OUT/table.md"
cat "$OUT/table.md"

mkdir -p "$RESULTS_DIR"
cp "$OUT/results.jsonl" "$RESULTS_DIR/$RUN_NAME.jsonl"
{
  echo "# $RUN_NAME"
  echo
  echo "Commit $COMMIT$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)'), distribution $PARLEY_HOME."
  echo "Parameters: RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP MSG_BYTES=$MSG_BYTES WINDOW=$WINDOW FANOUT_MEMBERS=$FANOUT_MEMBERS"
  echo "FANOUT_PUBLISHERS=$FANOUT_PUBLISHERS BIG_MEMBERS=$BIG_MEMBERS ROOMS=$ROOMS ROOM_MEMBERS=$ROOM_MEMBERS IDLE_CONNS=$IDLE_CONNS"
  echo "STALLED_RUNS=$STALLED_RUNS STALLED_MEMBERS=$STALLED_MEMBERS FLOOD_RUNS=$FLOOD_RUNS FLOOD_XMX=$FLOOD_XMX FLOOD_CONNS=$FLOOD_CONNS FLOOD_BYTES=$FLOOD_BYTES MANY_RUNS=$MANY_RUNS MANY_CONNS=$MANY_CONNS"
  echo "IRC_IDLE_CONNS=$IRC_IDLE_CONNS IDLE_RUNS=$IDLE_RUNS FILE_MIB=$FILE_MIB FILE_XMX=$FILE_XMX COLD_WAIT=$COLD_WAIT RATE=$RATE."
  echo
  cat "$OUT/table.md"
  echo
  echo "## Notes"
  echo
  echo "(What changed since the previous run and what the figures show; edit before committing.)"
} >"$RESULTS_DIR/$RUN_NAME.md"
log "raw lines and summary: $RESULTS_DIR/$RUN_NAME.{jsonl,md}"

if [ "$WRITE_DOC" = 1 ] && grep -q '<!-- compare:begin -->' "$root/docs/performance.md"; then
  awk -v table="$OUT/table.md" '
    /<!-- compare:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
    /<!-- compare:end -->/ { skip = 0 }
    !skip { print }' "$root/docs/performance.md" >"$WORK/performance.md"
  cp "$WORK/performance.md" "$root/docs/performance.md"
  log "table written into docs/performance.md"
fi
