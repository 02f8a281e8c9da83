#!/usr/bin/env bash
# Fan-out benchmark: the same workload against Projector and against Janus (Debian's janus, VideoRoom), one
# after the other in one run, on this machine. One synthetic presenter at 2.5 Mbit/s; viewers ramp up in
# steps until a step loses more than 0.1 % of packets (after NACKs) or its p99 forwarding delay exceeds 20 ms.
# Both servers and the load generator run inside a network namespace this script creates (Janus never gathers
# loopback candidates); nothing touches the host's interfaces, and everything is removed on exit.
#
#   sudo bash bench/fanout/run.sh            # writes docs/benchmarks.md (its section) and docs/img/fanout.png
#
# Environment: MAX_VIEWERS (1000), RAMP_STEP (50), STEP_SECONDS (10), BITRATE_KBPS (2500), JOINS_PER_SECOND (50),
# SKIP_JANUS=1, BENCH_WRITE_DOCS=0 (results only under bench/fanout/results/), OUT (results folder),
# SIDE_BY_SIDE_VIEWERS (150; 0 skips the side-by-side phase), SIDE_BY_SIDE_WINDOWS (6).
# After the two ramps, a side-by-side phase runs both servers at once with the same load and compares their CPU
# over the same windows (see SideBySide in loadtest).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
# shellcheck source=netns.sh
source bench/fanout/netns.sh

MAX_VIEWERS=${MAX_VIEWERS:-1000}
RAMP_STEP=${RAMP_STEP:-50}
STEP_SECONDS=${STEP_SECONDS:-10}
BITRATE_KBPS=${BITRATE_KBPS:-2500}
JOINS_PER_SECOND=${JOINS_PER_SECOND:-50}
SIDE_BY_SIDE_VIEWERS=${SIDE_BY_SIDE_VIEWERS:-150}
SIDE_BY_SIDE_WINDOWS=${SIDE_BY_SIDE_WINDOWS:-6}
OUT=${OUT:-"$REPO/bench/fanout/results/$(date -u +%Y%m%d-%H%M%S)"}
PROJECTOR_HTTP_PORT=8080
mkdir -p "$OUT"

if [ "$(id -u)" != 0 ]; then
  echo "needs root: it creates a network namespace (ip netns)" >&2
  exit 2
fi
if [ ! -f signaling/target/projector.jar ] || [ ! -f loadtest/target/projector-loadtest.jar ]; then
  mvn -q -B -DskipTests package
fi
[ "${SKIP_JANUS:-0}" = 1 ] || command -v janus >/dev/null || apt-get install -y -q janus >/dev/null

LOADGEN=(java -Xms512m -Xmx2g -jar "$REPO/loadtest/target/projector-loadtest.jar" --viewers "$MAX_VIEWERS"
  --ramp-step "$RAMP_STEP" --step-seconds "$STEP_SECONDS" --bitrate-kbps "$BITRATE_KBPS"
  --joins-per-second "$JOINS_PER_SECOND" --until-threshold --bind "$PJF_LOADGEN_ADDR")

fanout_install_cleanup_trap
fanout_netns_up
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== Projector"
PROJECTOR_PID=
cleanup_projector() { [ -z "$PROJECTOR_PID" ] || kill "$PROJECTOR_PID" 2>/dev/null || true; PROJECTOR_PID=; }
trap 'cleanup_projector; fanout_cleanup' EXIT
# start_projector LOG: starts the server in the namespace and waits until it is ready for traffic.
# ip netns exec execs java, so $! is the server's own PID (its CPU and memory are what the generator reads).
# A fixed, pre-touched heap: with a growing heap, G1 commits and (concurrently) uncommits memory around the
# generator's GC.run, and the RSS it reads for memory per viewer swung by tens of MB between steps.
start_projector() {
  ip netns exec "$PJF_NS" java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar "$REPO/signaling/target/projector.jar" \
    --http-host "$PJF_SERVER_ADDR" --http-port "$PROJECTOR_HTTP_PORT" --media-port 10000 >"$1" 2>&1 </dev/null &
  PROJECTOR_PID=$!
  for _ in $(seq 1 150); do
    fanout_in_ns curl -sf "http://$PJF_SERVER_ADDR:$PROJECTOR_HTTP_PORT/health/ready" >/dev/null && return 0
    kill -0 "$PROJECTOR_PID" 2>/dev/null || { echo "Projector did not start; see $1" >&2; exit 1; }
    sleep 0.2 # polling a starting server's readiness endpoint
  done
  echo "Projector not ready after 30 s; see $1" >&2
  exit 1
}
start_projector "$OUT/projector.log"
fanout_in_ns "${LOADGEN[@]}" --server "http://$PJF_SERVER_ADDR:$PROJECTOR_HTTP_PORT" --server-pid "$PROJECTOR_PID" \
  --json "$OUT/projector.json" | grep -v '^t=' | tee "$OUT/projector.txt" || true
cleanup_projector

results=("Projector=$OUT/projector.json")
if [ "${SKIP_JANUS:-0}" != 1 ]; then
  echo "== Janus"
  fanout_janus_start "$OUT/janus.log"
  fanout_janus_wait 30 "$OUT/janus.log"
  fanout_in_ns "${LOADGEN[@]}" --target janus --server "$(fanout_janus_url)" --server-pid "$PJF_JANUS_PID" \
    --json "$OUT/janus.json" | grep -v '^t=' | tee "$OUT/janus.txt" || true
  fanout_janus_stop
  results+=("Janus=$OUT/janus.json")
fi

# Side by side: both servers at the same time, each with its own presenter and SIDE_BY_SIDE_VIEWERS viewers from
# its own generator, measured over the same windows. Whatever slows the machine in a window slows both, so the
# ratio of their CPU per viewer holds up against this shared machine's swings (±30 % between minutes), which the
# ramps above, one after the other, do not.
side_by_side=0
if [ "${SKIP_JANUS:-0}" != 1 ] && [ "$SIDE_BY_SIDE_VIEWERS" -gt 0 ]; then
  echo "== Side by side: Projector and Janus at once, $SIDE_BY_SIDE_VIEWERS viewers each"
  start_projector "$OUT/side-projector.log"
  fanout_janus_start "$OUT/side-janus.log"
  fanout_janus_wait 30 "$OUT/side-janus.log"
  SIDE=(java -Xms512m -Xmx1g -jar "$REPO/loadtest/target/projector-loadtest.jar" --viewers "$SIDE_BY_SIDE_VIEWERS"
    --step-seconds "$STEP_SECONDS" --hold-windows "$((SIDE_BY_SIDE_WINDOWS - 1))" --bitrate-kbps "$BITRATE_KBPS"
    --joins-per-second "$JOINS_PER_SECOND" --bind "$PJF_LOADGEN_ADDR")
  fanout_in_ns "${SIDE[@]}" --server "http://$PJF_SERVER_ADDR:$PROJECTOR_HTTP_PORT" --server-pid "$PROJECTOR_PID" \
    --json "$OUT/side-projector.json" 2>&1 | grep -v '^t=' >"$OUT/side-projector.txt" &
  side_p=$!
  fanout_in_ns "${SIDE[@]}" --target janus --server "$(fanout_janus_url)" --server-pid "$PJF_JANUS_PID" \
    --json "$OUT/side-janus.json" 2>&1 | grep -v '^t=' >"$OUT/side-janus.txt" &
  side_j=$!
  wait "$side_p" || true
  wait "$side_j" || true
  cleanup_projector
  fanout_janus_stop
  if [ -s "$OUT/side-projector.json" ] && [ -s "$OUT/side-janus.json" ]; then
    side_by_side=1
  else
    echo "side by side: a generator wrote no results; see $OUT/side-*.txt" >&2
  fi
fi

{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), load average"
  echo "before the run $load_before, with \`sudo bash bench/fanout/run.sh\` (MAX_VIEWERS=$MAX_VIEWERS, RAMP_STEP=$RAMP_STEP,"
  echo "STEP_SECONDS=$STEP_SECONDS, BITRATE_KBPS=$BITRATE_KBPS). $(janus --version 2>/dev/null | head -1 || true)"
  echo "The load generator runs on the same two cores as the server: its CPU is in the per-step tables."
} >"$OUT/context.md"
if [ "${BENCH_WRITE_DOCS:-1}" = 1 ]; then
  java -cp loadtest/target/projector-loadtest.jar io.projector.loadtest.report.FanoutReport docs/benchmarks.md \
    docs/img/fanout.png "$OUT/context.md" "${results[@]}"
else
  java -cp loadtest/target/projector-loadtest.jar io.projector.loadtest.report.FanoutReport "$OUT/benchmarks.md" \
    "$OUT/fanout.png" "$OUT/context.md" "${results[@]}"
fi
if [ "$side_by_side" = 1 ]; then
  {
    echo "Measured $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)) by"
    echo "the side-by-side phase of \`sudo bash bench/fanout/run.sh\` (SIDE_BY_SIDE_VIEWERS=$SIDE_BY_SIDE_VIEWERS,"
    echo "SIDE_BY_SIDE_WINDOWS=$SIDE_BY_SIDE_WINDOWS, windows of STEP_SECONDS=$STEP_SECONDS s, BITRATE_KBPS=$BITRATE_KBPS):"
    echo "Projector and Janus ran at the same time in the namespace, each with its own synthetic presenter and"
    echo "$SIDE_BY_SIDE_VIEWERS viewers from its own generator process, both measured over the same minute."
  } >"$OUT/side-context.md"
  target_docs=docs/benchmarks.md
  [ "${BENCH_WRITE_DOCS:-1}" = 1 ] || target_docs="$OUT/benchmarks.md"
  java -cp loadtest/target/projector-loadtest.jar io.projector.loadtest.report.SideBySide "$target_docs" \
    "$OUT/side-context.md" "$OUT/side-projector.json" "$OUT/side-janus.json" | tee "$OUT/side-by-side.txt"
fi
