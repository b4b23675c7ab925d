#!/usr/bin/env bash
# End-to-end check of the third-party plugin story, for CI after Parley's own build:
#   1. builds this example (and runs its tests) with Maven against the *installed* Parley artifacts;
#   2. copies the distribution to a temporary directory and drops the plugin jar into its plugins/;
#   3. starts `parley server` on a free port with parley.plugins including dice, via --config;
#   4. over TCP: ROLL 3d6, a bad ROLL (its message shows the --config override), and a roll shown to a room;
#   5. stops the server with SIGTERM and expects a graceful exit;
#   6. builds the same plugin against a core that claims SPI 2.0 and expects the server to refuse it.
#
# Usage:   docs/examples/dice-plugin/check.sh [DIST]
#   DIST   the Parley distribution to copy (default: launcher/target/parley of this repository)
# Needs:   `mvn install` of Parley first (this example resolves parley-bom/parley-core/parley-testkit from the
#          local repository), a JDK 17+ (javac, jar; JAVA_HOME is honoured), bash (for /dev/tcp).
# Env:     MVN (default mvn), MVN_ARGS extra Maven arguments (e.g. "-o -Dmaven.repo.local=/path").
# Exit:    0 when every check passed; 1 with a "check.sh: FAIL:" line (and the server log) otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../../.." && pwd -P)
dist=${1:-$root/launcher/target/parley}
timeout_s=${CHECK_TIMEOUT:-10}

log=
server_pid=
work=

step() { printf 'check.sh: %s\n' "$*"; }

fail() {
  printf 'check.sh: FAIL: %s\n' "$*" >&2
  if [ -n "$log" ] && [ -f "$log" ]; then
    printf -- '--- last lines of %s ---\n' "$log" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$work" ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

if [ -n "${JAVA_HOME:-}" ]; then
  jdk_bin=$JAVA_HOME/bin/
else
  jdk_bin=
fi

# ---- socket helpers (bash's /dev/tcp: nothing to install) ----

# next_line FD: reads one line into LINE, failing after $timeout_s seconds.
next_line() {
  IFS= read -r -t "$timeout_s" -u "$1" LINE || fail "the server sent no line within ${timeout_s}s (fd $1)"
  LINE=${LINE%$'\r'}
}

# await_prefix FD PREFIX...: reads lines until one starts with one of the prefixes, not counting leading
# tags (the heartbeat plugin numbers events: "@seq=2 ROLLED ..."); the line, without its tags, is left in LINE.
await_prefix() {
  local fd=$1 prefix
  shift
  while next_line "$fd"; do
    if [[ $LINE == @* ]]; then
      LINE=${LINE#* }
    fi
    for prefix in "$@"; do
      case $LINE in "$prefix"*) return 0 ;; esac
    done
  done
}

# send_command FD LINE: sends a command and leaves its final reply (OK/ERR <VERB>) in LINE.
send_command() {
  local verb=${2%% *}
  printf '%s\n' "$2" >&"$1"
  await_prefix "$1" "OK ${verb^^}" "ERR ${verb^^}"
  step "  $2  ->  $LINE"
}

# ---- 1. build the example against the installed artifacts ----

[ -x "$dist/bin/parley" ] || fail "no Parley distribution at $dist; run 'mvn install' at the repository root first, or pass its path"

step "building the example with Maven against the installed Parley artifacts"
# shellcheck disable=SC2086
"${MVN:-mvn}" -B -q ${MVN_ARGS:-} -f "$here/pom.xml" clean package \
  || fail "the example does not build; was 'mvn install' run at the repository root?"
jar=$(find "$here/target" -maxdepth 1 -name 'parley-dice-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | sed -n 1p)
[ -n "$jar" ] || fail "the build produced no parley-dice jar in $here/target"

# ---- 2. a copy of the distribution with the plugin in plugins/ ----

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-dice-check.XXXXXX")

# The javadoc is the plugin contract: the artifacts a plugin builds against come with javadoc and sources jars.
parley_version=$(sed -n 's:.*<parley.version>\(.*\)</parley.version>.*:\1:p' "$here/pom.xml")
for artifact in parley-core parley-testkit; do
  for classifier in javadoc sources; do
    # shellcheck disable=SC2086
    "${MVN:-mvn}" -B -q ${MVN_ARGS:-} dependency:copy -Dartifact="dev.parley:$artifact:$parley_version:jar:$classifier" \
      -DoutputDirectory="$work/published" >/dev/null \
      || fail "no $classifier jar of $artifact $parley_version installed; was 'mvn install' run at the repository root?"
  done
done
step "parley-core and parley-testkit come with javadoc and sources jars"

cp -R "$dist" "$work/parley"
cp "$jar" "$work/parley/plugins/"
conf=$work/dice.conf
cat >"$conf" <<'EOF'
# The plugins to run, in order: the built-in ones and dice from plugins/.
parley.plugins = [chat, filetransfer, heartbeat, dice]
# Any free port; the server logs which.
parley.server.port = 0
# Overrides the plugin's reference.conf (100); the BAD_SYNTAX message below must say 20.
parley.dice.max-dice = 20
EOF

# ---- 3. start the server ----

log=$work/server.log
: >"$log"   # exists before the background job opens it, so the polling below never misses it
step "starting $work/parley/bin/parley server --config $conf"
# From $work: plugins may write next to the working directory (file transfer's spool/).
(cd "$work" && exec "$work/parley/bin/parley" server --config "$conf") >"$log" 2>&1 &
server_pid=$!

port=
deadline=$((SECONDS + 60))
while [ -z "$port" ]; do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || fail "the server did not log 'listening on' within 60s"
  port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$log" | sed -n 1p)
  [ -n "$port" ] || sleep 0.2
done
step "server listening on 127.0.0.1:$port"

# ---- 4. talk to it ----

exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to 127.0.0.1:$port"
await_prefix 3 "HELLO "
step "  <connect>  ->  $LINE"
case " ${LINE#*:} " in *" dice "*) ;; *) fail "HELLO does not list the dice plugin: $LINE" ;; esac

send_command 3 "ROLL 3d6"
[[ $LINE =~ ^OK\ ROLL\ ([0-9]+)\ :([1-6])\ ([1-6])\ ([1-6])$ ]] || fail "ROLL 3d6 answered '$LINE'"
sum=$((BASH_REMATCH[2] + BASH_REMATCH[3] + BASH_REMATCH[4]))
[ "$sum" -eq "${BASH_REMATCH[1]}" ] || fail "ROLL 3d6: the total ${BASH_REMATCH[1]} is not the sum of the dice ($sum)"

send_command 3 "ROLL 3x6"
expected='ERR ROLL BAD_SYNTAX :use ROLL <N>d<M> [#room], 1 <= N <= 20, 2 <= M <= 1000'
[ "$LINE" = "$expected" ] || fail "a bad ROLL answered '$LINE', expected '$expected'"

send_command 3 "ROLL 21d6"
[ "$LINE" = "$expected" ] || fail "ROLL 21d6 with max-dice = 20 answered '$LINE', expected '$expected'"

# A roll shown to a room: rooms come from the chat plugin through core's Directory.
exec 4<>"/dev/tcp/127.0.0.1/$port" || fail "cannot open a second connection"
await_prefix 4 "HELLO "
send_command 3 "NICK alice"
[[ $LINE == "OK NICK"* ]] || fail "NICK alice answered '$LINE'"
send_command 4 "NICK bob"
[[ $LINE == "OK NICK"* ]] || fail "NICK bob answered '$LINE'"
send_command 3 "ROLL 1d6 #dice"
[[ $LINE == "ERR ROLL NOT_IN_ROOM "* ]] || fail "a roll for a room alice is not in answered '$LINE'"
send_command 3 "JOIN #dice"
[[ $LINE == "OK JOIN"* ]] || fail "JOIN #dice answered '$LINE'"
send_command 4 "JOIN #dice"
[[ $LINE == "OK JOIN"* ]] || fail "JOIN #dice answered '$LINE'"
send_command 3 "ROLL 2d6 #dice"
[[ $LINE =~ ^OK\ ROLL\ ([0-9]+)\ :([1-6]\ [1-6])$ ]] || fail "ROLL 2d6 #dice answered '$LINE'"
event="ROLLED #dice alice 2d6 ${BASH_REMATCH[1]} :${BASH_REMATCH[2]}"
await_prefix 4 "ROLLED "
step "  (bob reads)  ->  $LINE"
[ "$LINE" = "$event" ] || fail "bob read '$LINE', expected '$event'"

send_command 3 "QUIT"
send_command 4 "QUIT"
exec 3<&- 4<&-

# ---- 5. stop it ----

step "stopping the server with SIGTERM"
kill -TERM "$server_pid"
deadline=$((SECONDS + 30))
while kill -0 "$server_pid" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the server did not stop within 30s of SIGTERM"
  sleep 0.2
done
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" -eq 0 ] || fail "the server exited with $rc after SIGTERM, expected 0"

# ---- 6. a plugin built for another SPI is refused ----

step "building the same plugin against a parley-core that claims SPI 2.0"
spi2=$work/spi2
mkdir -p "$spi2/classes"
core_jar=$(find "$dist/lib" -maxdepth 1 -name 'parley-core-*.jar' | sed -n 1p)
config_jar=$(find "$dist/lib" -maxdepth 1 -name 'config-*.jar' | sed -n 1p)
[ -n "$core_jar" ] && [ -n "$config_jar" ] || fail "no parley-core or config jar in $dist/lib"
cp "$core_jar" "$spi2/core.jar"
"${jdk_bin}jar" --update --file "$spi2/core.jar" --module-version 9.0.0+spi.2.0 || fail "jar --update failed"
# shellcheck disable=SC2046
"${jdk_bin}javac" --release 17 -d "$spi2/classes" --module-path "$spi2/core.jar:$config_jar" \
  $(find "$here/src/main/java" -name '*.java') || fail "javac of the example against the SPI 2.0 core failed"
cp -R "$here/src/main/resources/." "$spi2/classes/"
rm -f "$work/parley/plugins/"*.jar
"${jdk_bin}jar" --create --file "$work/parley/plugins/parley-dice-spi2.jar" -C "$spi2/classes" . || fail "jar failed"

log=$work/refused.log
: >"$log"
rc=0
(cd "$work" && exec "$work/parley/bin/parley" server --config "$conf") >"$log" 2>&1 </dev/null &
server_pid=$!
deadline=$((SECONDS + 60))
while kill -0 "$server_pid" 2>/dev/null; do
  if grep -q 'listening on' "$log"; then
    fail "the server started with a plugin built for SPI 2.0"
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "the server neither refused nor started within 60s"
  sleep 0.2
done
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" -ne 0 ] || fail "the server exited with 0 despite a plugin built for SPI 2.0"
refusal=$(grep -o "plugin 'dice' was built for Parley SPI 2.0 but this server has SPI [0-9.]*; rebuild it against [^\"]*" "$log" | sed -n 1p) \
  || fail "the server exited with $rc but did not say why in the expected words"
step "refused (exit $rc): $refusal"

step "OK: the dice example builds against the installed artifacts, runs from plugins/, and a plugin for another SPI is refused"
