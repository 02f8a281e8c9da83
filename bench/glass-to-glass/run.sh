#!/usr/bin/env bash
# Glass-to-glass latency benchmark: Projector SFU path vs direct browser-to-browser path.
# Installs what it needs on a fresh Debian machine (Chromium, Node, a JDK and Maven if the jar must be built),
# then runs bench.mjs. Writes docs/benchmarks.md (its section), docs/img/glass-to-glass.png and
# bench/glass-to-glass/results/latest.json. Exit status: non-zero only when the harness itself fails;
# missed latency targets are printed, not fatal.
#
# Environment: RUNS (12), SAMPLES (75 per run and path), WARMUP (30), JOINS (5 joining viewers per run),
# BITRATE_WAIT_S (10), AUDIO=0 (video only on both paths), PROJECTOR_JAR (default: signaling/target/projector.jar
# of this repo, built if missing; BUILD=1 rebuilds it), BENCH_WRITE_DOCS=0 (only the JSON),
# BENCH_NETNS=0 (do not use a private network namespace), JOIN_DETAIL=1 (diagnostics: log where each joining
# viewer's time went on both paths, from navigation timing and getStats polled every 5 ms; the polling costs CPU,
# so leave it off for published figures).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
JAR="${PROJECTOR_JAR:-$REPO/signaling/target/projector.jar}"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
fc-list 2>/dev/null | grep -qi . || missing+=(fonts-dejavu-core)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ! -f "$JAR" ] || [ "${BUILD:-0}" = 1 ]; then
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "error: playwright-core needs Node.js 20 or newer; found $(node --version)" >&2
  exit 1
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
want="$(node -p 'require("./package.json").dependencies["playwright-core"]')"
have="$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -f "$JAR" ] || [ "${BUILD:-0}" = 1 ]; then
  echo "building $JAR"
  (cd "$REPO" && mvn -q -B -ntp -DskipTests package)
elif [ -z "${PROJECTOR_JAR:-}" ] && [ -n "$(find "$REPO"/sfu-core/src/main "$REPO"/signaling/src/main "$REPO"/web-client/src/main \
    -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
  echo "warning: $JAR is older than the sources; BUILD=1 rebuilds it" >&2
fi
export PROJECTOR_JAR="$JAR"

tmp="$(mktemp -d)"
export BENCH_PIDFILE="$tmp/pids"
: >"$BENCH_PIDFILE"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # The server started by bench.mjs, should bench.mjs itself have died without cleaning up.
  while read -r p; do
    if [ -n "$p" ] && grep -qa projector "/proc/$p/cmdline" 2>/dev/null; then kill -KILL "$p" 2>/dev/null || true; fi
  done <"$BENCH_PIDFILE"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Browsers as a user runs them: Chromium started by root may raise its own threads' priority (nice -8 for its
# WebRTC, compositor and IO threads, real-time for audio), which a user's browser cannot do (RLIMIT_NICE and
# RLIMIT_RTPRIO are 0). On a machine the browsers share with the server, that starved the server of CPU.
# Without CAP_SYS_NICE, root's Chromium keeps the priorities it was given, like a user's.
if [ -z "${CHROMIUM:-}" ] && [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
  printf '#!/bin/sh\nexec setpriv --bounding-set -sys_nice --inh-caps -sys_nice /usr/bin/chromium "$@"\n' >"$tmp/chromium"
  chmod +x "$tmp/chromium"
  export CHROMIUM="$tmp/chromium" BENCH_BROWSER_PRIORITY=user
fi

# Strictly loopback: when we may, run everything (server, static server, browsers) in a private network
# namespace whose only interface is lo. Otherwise the server binds 127.0.0.1 only and the direct pages
# exchange only 127.0.0.1 candidates.
if [ "${BENCH_NETNS:-1}" != 0 ] && [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
  BENCH_NETNS=1 unshare -n -- sh -c 'ip link set lo up && exec node bench.mjs' &
else
  BENCH_NETNS=0 node bench.mjs &
fi
pid=$!
rc=0
wait "$pid" || rc=$?
pid=""
exit "$rc"
