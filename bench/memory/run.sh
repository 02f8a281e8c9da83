#!/usr/bin/env bash
# Where a viewer's memory goes in the SFU: the server runs with the JVM's Native Memory Tracking, the load
# generator (loadtest module) connects viewers of one presenter in steps of STEP (the first step warms the JIT up),
# and at LOW and HIGH viewers, once the server reports that many connected, this takes a snapshot: RSS, live heap
# after a full GC, thread count by name, NMT summary, class histogram. It prints the difference per added viewer.
# Loopback only (127.0.0.1); a few minutes; nothing is left running.
#
#   bash bench/memory/run.sh          # STEP=50 LOW=100 HIGH=200 BITRATE_KBPS=500 (memory does not depend on bitrate)
#
# Output: bench/memory/results/<time>/ (snapshots) and a summary on stdout.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
STEP=${STEP:-50}
LOW=${LOW:-100}
HIGH=${HIGH:-200}
BITRATE_KBPS=${BITRATE_KBPS:-500}
HTTP_PORT=${HTTP_PORT:-18080}
MEDIA_PORT=${MEDIA_PORT:-18000}
OUT=${OUT:-"$REPO/bench/memory/results/$(date -u +%Y%m%d-%H%M%S)"}
mkdir -p "$OUT"

if [ ! -f signaling/target/projector.jar ] || [ ! -f loadtest/target/projector-loadtest.jar ]; then
  mvn -q -B -DskipTests package
fi

SERVER_PID=
LOADGEN_PID=
cleanup() {
  [ -n "$LOADGEN_PID" ] && kill "$LOADGEN_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# A fixed, pre-touched heap: its pages are all resident from the start, so the RSS difference is native memory
# only (a full GC cannot hand heap pages back between the snapshots) and the live heap is measured separately.
java -XX:NativeMemoryTracking=summary -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar signaling/target/projector.jar --http-port "$HTTP_PORT" \
  --media-port "$MEDIA_PORT" --http-host 127.0.0.1 --media-bind 127.0.0.1 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
until grep -q "HTTP port $HTTP_PORT" "$OUT/server.log"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited; see $OUT/server.log" >&2; exit 2; }
  sleep 0.2
done

viewers() {
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^projector_viewers /{print int($2)}'
}

# One presenter; steps of STEP viewers, each held long enough for a snapshot, up to HIGH.
java -jar loadtest/target/projector-loadtest.jar --server "http://127.0.0.1:$HTTP_PORT" --viewers "$HIGH" \
  --ramp-step "$STEP" --step-seconds 30 --settle-seconds 3 --bitrate-kbps "$BITRATE_KBPS" \
  --sample-viewers 10 > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!
# LOW and HIGH must be multiples of STEP (the defaults are).

snapshot() { # name expected-viewers
  local name=$1 want=$2 deadline=$((SECONDS + 120))
  until [ "$(viewers)" = "$want" ]; do
    [ $SECONDS -lt $deadline ] || { echo "never saw $want viewers connected (now $(viewers))" >&2; exit 1; }
    kill -0 "$LOADGEN_PID" 2>/dev/null || { echo "the load generator ended early; see $OUT/loadgen.log" >&2; exit 1; }
    sleep 0.5
  done
  jcmd "$SERVER_PID" GC.run > /dev/null
  {
    echo "viewers $want"
    grep VmRSS "/proc/$SERVER_PID/status"
    jcmd "$SERVER_PID" GC.heap_info | sed -n 2p
    echo "threads $(ls "/proc/$SERVER_PID/task" | wc -l)"
  } > "$OUT/$name.txt"
  jcmd "$SERVER_PID" Thread.print | grep '^"' | sed 's/^"\([A-Za-z._-]*\).*/\1/' | sort | uniq -c | sort -rn \
    > "$OUT/$name-threads.txt"
  jcmd "$SERVER_PID" GC.class_histogram | head -25 > "$OUT/$name-histogram.txt"
}

snapshot low "$LOW"
jcmd "$SERVER_PID" VM.native_memory baseline > /dev/null
snapshot high "$HIGH"
jcmd "$SERVER_PID" VM.native_memory summary.diff > "$OUT/nmt-diff.txt"

used_kb() { sed -n 's/.*used \([0-9]*\)K.*/\1/p' "$1"; }
rss_kb() { awk '/VmRSS/{print $2}' "$1"; }
threads() { awk '/^threads/{print $2}' "$1"; }
n=$((HIGH - LOW))
echo "per added viewer ($LOW -> $HIGH viewers; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)):"
native_kb=$(( ($(rss_kb "$OUT/high.txt") - $(rss_kb "$OUT/low.txt")) / n ))
heap_kb=$(( ($(used_kb "$OUT/high.txt") - $(used_kb "$OUT/low.txt")) / n ))
echo "  total         $((native_kb + heap_kb)) KB (live heap + native)"
echo "  live heap     $heap_kb KB (after a full GC)"
echo "  native        $native_kb KB (RSS; the heap is fixed and pre-touched, so this is memory outside it)"
echo "  threads       $(awk -v a="$(threads "$OUT/low.txt")" -v b="$(threads "$OUT/high.txt")" -v n=$n 'BEGIN{printf "%.2f", (b-a)/n}')"
echo "  NMT committed, per added viewer, by category:"
sed -n 's/^-\s*\([A-Za-z ]*\) (reserved=[0-9]*KB[ +-]*[0-9]*KB*, committed=[0-9]*KB \([+-][0-9]*\)KB).*/\1 \2/p' "$OUT/nmt-diff.txt" \
  | awk -v n=$n '{v=$NF; $NF=""; if (v/n >= 1 || v/n <= -1) printf "    %-22s %6.1f KB\n", $0, v/n}'
echo "  (Code, Compiler and Arena Chunk are the JIT compiling meanwhile, Metaspace and Class are classes loading:"
echo "   not per viewer. What a viewer holds is its live heap plus the remaining native categories.)"
echo "  threads by name at $HIGH viewers (top):"
head -4 "$OUT/high-threads.txt" | sed 's/^/    /'
echo "  largest heap classes at $HIGH viewers: $OUT/high-histogram.txt"
echo "snapshots: $OUT"
