#!/usr/bin/env bash
# The comparison table (medians per scenario and target, ratios) from compare.sh's raw RESULT lines.
#
#   bench/scripts/summarize.sh bench/results/2026-11-25-compare-20.jsonl
#
# Reads only the jsonl, so a run's summary can be made again at any time from its raw file. Scenario sizes
# (members, publishers, rooms, rates, connections, file size) come from the lines themselves. Rows a run did
# not measure print n/a; keys this script does not know are listed after the table (a newer compare.sh may
# add scenarios before this table shows them).
set -euo pipefail
[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: $0 RESULTS.jsonl" >&2; exit 2; }
in=$1

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "null"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
med() { jq -r --arg k "$1" --arg t "$2" "select(.key==\$k and .target==\$t) | .$3 | select(. != null)" "$in" | median; }
first() { jq -r --arg k "$1" "select(.key==\$k and .target==\"parley\") | .$2 | select(. != null)" "$in" | sed -n 1p; }
count() { jq -r --arg k "$1" 'select(.key==$k and .target=="parley") | .key' "$in" | wc -l; }
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "null" || v == "") print "n/a"; else printf "%.*f", d, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || b == 0 || a == "" || b == "") print "n/a"; else printf "%.2fx", a / b }'; }

loads=$(jq -r '.load // empty' "$in" | sort -g)
echo "Load average during the runs: $(echo "$loads" | sed -n 1p) to $(echo "$loads" | tail -1)."
echo "Medians of $(count fanout) runs of $(first fanout duration_s) s, $(first fanout message_bytes)-byte messages, window $(first fanout window);" \
  "idle: median of $(count idle) runs; file: median of $(count file) runs."
echo
echo "| scenario | metric | Parley | nats-server | ngircd | Parley / NATS | Parley / ngircd |"
echo "|---|---|---|---|---|---|---|"
for k in fanout bigroom rooms sameload; do
  [ "$(count $k)" -gt 0 ] || continue
  case $k in
    fanout|bigroom) label="fan-out 1 x $(first $k members), $(first $k publishers) publishers";;
    rooms) label="$(first $k rooms) rooms x $(first $k members), all publish";;
    sameload) label="fan-out 1 x $(first $k members) at $(first $k rate_per_publisher) msgs/s/publisher";;
  esac
  [ "$k" = bigroom ] && label="1 room x $(first $k members), $(first $k publishers) publisher"
  p=$(med $k parley deliveries_per_s); n=$(med $k nats deliveries_per_s); i=$(med $k irc deliveries_per_s)
  echo "| $label | deliveries/s | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
  for q in p50_us p99_us p999_us; do
    p=$(med $k parley $q); n=$(med $k nats $q); i=$(med $k irc $q)
    echo "| | ${q%_us} latency (µs) | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
  done
  p=$(med $k parley server_ns_per_delivery); n=$(med $k nats server_ns_per_delivery); i=$(med $k irc server_ns_per_delivery)
  echo "| | server CPU per delivery (ns) | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
  p=$(med $k parley server_cores); n=$(med $k nats server_cores); i=$(med $k irc server_cores)
  echo "| | server: cores busy | $(fmt "$p" 2) | $(fmt "$n" 2) | $(fmt "$i" 2) | | |"
  p=$(med $k parley client_busiest_thread); n=$(med $k nats client_busiest_thread); i=$(med $k irc client_busiest_thread)
  echo "| | client: busiest thread (share of a core) | $(fmt "$p" 2) | $(fmt "$n" 2) | $(fmt "$i" 2) | | |"
done
if [ "$(count saturated)" -gt 0 ]; then
  label="saturated, $(first saturated duration_s) s: fan-out 1 x $(first saturated members), $(first saturated publishers) publishers, window $(first saturated window)"
  p=$(med saturated parley deliveries_per_s); n=$(med saturated nats deliveries_per_s); i=$(med saturated irc deliveries_per_s)
  echo "| $label | deliveries/s | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
  p=$(med saturated parley p99_us); n=$(med saturated nats p99_us); i=$(med saturated irc p99_us)
  echo "| | p99 latency (µs) | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
  p=$(med saturated parley cut_off); n=$(med saturated nats cut_off); i=$(med saturated irc cut_off)
  echo "| | members cut off (median) | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | | |"
  p=$(med saturated parley delivered_per_acknowledged); n=$(med saturated nats delivered_per_acknowledged); i=$(med saturated irc delivered_per_acknowledged)
  echo "| | delivered / acknowledged | $(fmt "$p" 3) | $(fmt "$n" 3) | $(fmt "$i" 3) | | |"
fi
if [ "$(count stalled)" -gt 0 ]; then
  label="saturated as above, $(first stalled stalled_members) member(s) never reading"
  p=$(med stalled parley deliveries_per_s); n=$(med stalled nats deliveries_per_s)
  echo "| $label | deliveries/s (readers) | $(fmt "$p") | $(fmt "$n") | | $(ratio "$p" "$n") | |"
  p=$(med stalled parley p99_us); n=$(med stalled nats p99_us)
  echo "| | p99 latency (µs) | $(fmt "$p") | $(fmt "$n") | | $(ratio "$p" "$n") | |"
  p=$(med stalled parley cut_off); n=$(med stalled nats cut_off)
  echo "| | readers cut off (median) | $(fmt "$p") | $(fmt "$n") | | | |"
  p=$(med stalled parley stalled_cut_off); n=$(med stalled nats stalled_cut_off)
  echo "| | non-readers cut off (median) | $(fmt "$p") | $(fmt "$n") | | | |"
  p=$(med stalled parley stalled_cut_off_max_s); n=$(med stalled nats stalled_cut_off_max_s)
  echo "| | s from start to the last non-reader's socket closed by the server (median; -1: never) | $(fmt "$p" 1) | $(fmt "$n" 1) | | | |"
fi
if [ "$(count flood)" -gt 0 ]; then
  label="flood: $(first flood connections) connections x $(( $(first flood bytes_per_connection) >> 20 )) MiB of PINGs, never read, server $(first flood server_xmx)"
  echo "| $label | probe p99 / max (ms) | $(fmt "$(med flood parley probe_p99_us | awk '{print $1/1000}')") / $(fmt "$(med flood parley probe_max_us | awk '{print $1/1000}')") | | | | |"
  echo "| | probes not answered within 1 s (median) | $(fmt "$(med flood parley probes_late)") of $(fmt "$(med flood parley probes)") | | | | |"
  echo "| | flood connections cut off (median) | $(fmt "$(med flood parley flood_cut_off)") | | | | |"
  echo "| | OutOfMemoryError / ERROR lines in the log (median) | $(fmt "$(med flood parley server_log_oom)") / $(fmt "$(med flood parley server_log_errors)") | | | | |"
  echo "| | SIGTERM to exit (ms, median) | $(fmt "$(med flood parley term_exit_ms)") | | | | |"
fi
if [ "$(count many)" -gt 0 ]; then
  label="many: $(first many rooms) rooms x $(first many members), one member per room at $(first many rate_per_publisher) msg/s, Parley $(first many server_xmx)"
  p=$(med many parley rss_per_connection_bytes); n=$(med many nats rss_per_connection_bytes)
  echo "| $label | server RSS per connection (B), right after set-up | $(fmt "$p") | $(fmt "$n") | | $(ratio "$p" "$n") | |"
  p=$(med many parley rss_held_per_connection_bytes); n=$(med many nats rss_held_per_connection_bytes)
  echo "| | server RSS per connection (B), held: at the end of the run | $(fmt "$p") | $(fmt "$n") | | $(ratio "$p" "$n") | |"
  echo "| | server live heap per connection (B) | $(fmt "$(med many parley heap_per_connection_bytes)") | | | | |"
  for q in p50_us p99_us; do
    p=$(med many parley $q); n=$(med many nats $q)
    echo "| | ${q%_us} delivery latency (µs) | $(fmt "$p") | $(fmt "$n") | | $(ratio "$p" "$n") | |"
  done
  p=$(med many parley server_cores); n=$(med many nats server_cores)
  echo "| | server: cores busy | $(fmt "$p" 2) | $(fmt "$n" 2) | | | |"
fi
if [ "$(count idle)" -gt 0 ]; then
  p=$(med idle parley rss_per_connection_bytes); n=$(med idle nats rss_per_connection_bytes); i=$(med idle irc rss_per_connection_bytes)
  ic=$(jq -r 'select(.key=="idle" and .target=="irc") | .connections' "$in" | sed -n 1p)
  echo "| $(first idle connections) idle registered connections (ngircd: ${ic:-n/a}) | server RSS per connection (bytes) | $(fmt "$p") | $(fmt "$n") | $(fmt "$i") | $(ratio "$p" "$n") | $(ratio "$p" "$i") |"
fi
if [ "$(count file)" -gt 0 ]; then
  pu=$(med file parley upload_mib_s); pd=$(med file parley download_mib_s); s=$(med file socat upload_mib_s)
  echo "| file of $(( $(first file size_bytes) >> 20 )) MiB | upload hop MiB/s (socat copy in NATS column) | $(fmt "$pu") | $(fmt "$s") | | $(ratio "$pu" "$s") of socat | |"
  echo "| | download hop MiB/s | $(fmt "$pd") | $(fmt "$s") | | $(ratio "$pd" "$s") of socat | |"
fi
if [ "$(count file-e2e)" -gt 0 ]; then
  e=$(med file-e2e parley e2e_s); s=$(med file-e2e parley socat_best_s)
  echo "| file of $(( $(first file-e2e size_bytes) >> 20 )) MiB, \`parley send\` to a waiting \`parley receive\` | seconds to the verified file (socat's better copy in NATS column) | $(fmt "$e" 2) | $(fmt "$s" 2) | | $(ratio "$e" "$s") of socat | |"
  ps=$(med file-e2e parley send_mib_s); pr=$(med file-e2e parley receive_mib_s); sm=$(med file-e2e parley socat_mib_s)
  echo "| | \`parley send\` alone, MiB/s | $(fmt "$ps") | $(fmt "$sm") | | $(ratio "$ps" "$sm") of socat | |"
  echo "| | \`parley receive\` alone, MiB/s | $(fmt "$pr") | $(fmt "$sm") | | $(ratio "$pr" "$sm") of socat | |"
fi
for k in startup-jdk17 startup-jdk25 startup-jdk25-aot; do
  [ "$(count $k)" -gt 0 ] || continue
  v=$(jq -r --arg k "$k" 'select(.key==$k) | .startup_ms' "$in" | median)
  echo "| start to first HELLO, ${k#startup-} | ms (median of $(count $k)) | $(fmt "$v") | | | | |"
done
other=$(jq -r '.key' "$in" | sort -u | grep -vxE 'fanout|bigroom|rooms|sameload|saturated|stalled|flood|many|idle|file|file-e2e|startup-jdk17|startup-jdk25|startup-jdk25-aot' || true)
if [ -n "$other" ]; then
  echo
  echo "Other scenarios in this run (not tabulated here): $(echo $other | tr ' ' ',')."
fi
