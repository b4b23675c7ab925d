#!/usr/bin/env bash
# Runs the store benchmarks (StorePageBenchmark: BEFORE page of 100 in a 1,000,000-message room;
# StoreAppendBenchmark: durable appends per second through the group commit) against SQLite and PostgreSQL.
#   PARLEY_BENCH_PG   JDBC URL of an empty-or-bench PostgreSQL database, e.g.
#                     jdbc:postgresql://127.0.0.1:5432/bench?user=parley   (required for the postgresql rows)
#   PARLEY_BENCH_DIR  where the SQLite files go (default /tmp/parley-bench-store; the 1M room is kept for reuse)
# Extra arguments go to JMH, e.g. `bench/scripts/store-jmh.sh StorePage -p database=sqlite`.
#   Defaults: StorePage|StoreAppend -wi 2 -i 3 -w 5s -r 10s -f 1
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -q -o package -DskipTests -pl benchmarks -am
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
props="-Dparley.bench.store.dir=${PARLEY_BENCH_DIR:-/tmp/parley-bench-store}"
if [ -n "${PARLEY_BENCH_PG:-}" ]; then
  props="$props -Dparley.bench.store.postgresql=$PARLEY_BENCH_PG"
fi
if [ $# -eq 0 ]; then
  set -- 'Store(Page|Append)' -wi 2 -i 3 -w 5s -r 10s -f 1
fi
exec "$java" -cp "$cp" org.openjdk.jmh.Main -jvmArgsAppend "$props" "$@"
