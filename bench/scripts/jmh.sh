#!/usr/bin/env bash
# Runs the JMH microbenchmarks of the benchmarks module (decoder, encoder, dispatcher, fan-out write) with allocation
# figures. Never part of `mvn verify`. Extra arguments go to JMH, e.g. `bench/scripts/jmh.sh Encoder -f 3`.
#   Defaults: -wi 2 -i 3 -w 1s -r 2s -f 1 -prof gc   (short: about 1 minute for the lot)
#   JAVA_HOME picks the JDK that runs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# -am builds core and transport-mina from this tree, so the figures are of this checkout, not of ~/.m2.
mvn -q -o package -DskipTests -pl benchmarks -am
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
if [ $# -eq 0 ]; then
  set -- -wi 2 -i 3 -w 1s -r 2s -f 1 -prof gc
fi
exec "$java" -cp "$cp" org.openjdk.jmh.Main "$@"
