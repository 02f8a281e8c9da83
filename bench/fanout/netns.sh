# shellcheck shell=bash
# Network namespace and Janus lifecycle for the fan-out benchmark. Source this file, then e.g.:
#
#   fanout_install_cleanup_trap        # namespace, Janus and anything else inside go away on exit
#   fanout_netns_up
#   fanout_janus_start "$out/janus.log"
#   fanout_janus_wait 30
#   fanout_in_ns java -jar loadtest/target/projector-loadtest.jar ... "$(fanout_janus_url)"
#   fanout_janus_stop
#
# Why a namespace: Janus never gathers loopback candidates, so it needs an interface with an address of its
# own. Both ends of one veth pair live inside the namespace (nothing changes on the host's network):
#   pjf-server  10.77.0.1/24   Janus' only ICE interface (ice_enforce_list in janus/janus.jcfg)
#   pjf-loadgen 10.77.0.2/24   the address the load generator binds its peers to
# Both addresses are local to the namespace, so the kernel normally routes between them over lo; packets
# that do cross the veth (Janus pins its ICE sockets to pjf-server) need accept_local, see fanout_netns_up.
# Every process of the run (Janus, Projector, the load generator) runs inside with fanout_in_ns, so all
# traffic stays inside the namespace. Needs root (ip netns). Safe under `set -euo pipefail`.

PJF_NS=${PJF_NS:-pj-fanout} # override to run two benchmarks side by side
PJF_SERVER_IF=pjf-server
PJF_SERVER_ADDR=10.77.0.1
PJF_LOADGEN_IF=pjf-loadgen
PJF_LOADGEN_ADDR=10.77.0.2
PJF_JANUS_HTTP_PORT=8088
# A variant configuration folder (e.g. with event_loops set) may be given instead of janus/.
PJF_JANUS_CONFIG_DIR=${PJF_JANUS_CONFIG_DIR:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/janus" && pwd)"}
PJF_JANUS_PID=

fanout_in_ns() {
  ip netns exec "$PJF_NS" "$@"
}

fanout_netns_exists() {
  [ -e "/run/netns/$PJF_NS" ]
}

fanout_netns_up() {
  fanout_netns_down # leftovers of an interrupted run
  ip netns add "$PJF_NS"
  ip -n "$PJF_NS" link set lo up
  ip -n "$PJF_NS" link add "$PJF_SERVER_IF" type veth peer name "$PJF_LOADGEN_IF"
  ip -n "$PJF_NS" addr add "$PJF_SERVER_ADDR/24" dev "$PJF_SERVER_IF"
  ip -n "$PJF_NS" addr add "$PJF_LOADGEN_ADDR/24" dev "$PJF_LOADGEN_IF"
  ip -n "$PJF_NS" link set "$PJF_SERVER_IF" up
  ip -n "$PJF_NS" link set "$PJF_LOADGEN_IF" up
  # Janus' libnice pins its ICE socket to pjf-server (IP_UNICAST_IF), so its STUN responses and checks to
  # 10.77.0.2 leave through the veth instead of lo, and the loadgen end sees the sender 10.77.0.1 as one of
  # its own addresses. With accept_local=0 the kernel drops such packets as martians, ARP requests included:
  # 10.77.0.2 never resolves on pjf-server and Janus' ICE packets vanish without a trace on the wire.
  # Accept them on both ends (either side may pin its sends to its veth).
  fanout_in_ns sysctl -qw "net.ipv4.conf.$PJF_SERVER_IF.accept_local=1" "net.ipv4.conf.$PJF_LOADGEN_IF.accept_local=1"
}

# Ends every process still inside the namespace (they were all started by this run), then deletes it; the
# veth pair goes with it.
fanout_netns_down() {
  fanout_netns_exists || return 0
  local pids
  mapfile -t pids < <(ip netns pids "$PJF_NS")
  if [ "${#pids[@]}" -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    fanout_wait_gone 10 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
    fanout_wait_gone 5 "${pids[@]}" || echo "still running after SIGKILL: ${pids[*]}" >&2
  fi
  ip netns delete "$PJF_NS"
}

# fanout_wait_gone SECONDS PID...: polls until none of the processes exists; fails when time runs out.
fanout_wait_gone() {
  local deadline=$((SECONDS + $1)) pid alive
  shift
  while :; do
    alive=
    for pid in "$@"; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ -z "$alive" ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

fanout_janus_url() {
  echo "http://127.0.0.1:$PJF_JANUS_HTTP_PORT/janus"
}

# fanout_janus_start LOG_FILE: starts Janus in the namespace in the background (PID in PJF_JANUS_PID).
fanout_janus_start() {
  local log=$1
  command -v janus >/dev/null || { echo "janus is not installed (apt-get install -y janus)" >&2; return 1; }
  # ip netns exec execs janus, so $! is Janus' own PID.
  ip netns exec "$PJF_NS" janus -C "$PJF_JANUS_CONFIG_DIR/janus.jcfg" -F "$PJF_JANUS_CONFIG_DIR" -o \
    >"$log" 2>&1 </dev/null &
  PJF_JANUS_PID=$!
}

# fanout_janus_wait SECONDS LOG_FILE: polls the HTTP API (GET /janus/info) until it answers.
fanout_janus_wait() {
  local deadline=$((SECONDS + $1)) log=$2
  until fanout_in_ns curl -sf --max-time 1 -o /dev/null "$(fanout_janus_url)/info"; do
    if ! kill -0 "$PJF_JANUS_PID" 2>/dev/null; then
      echo "Janus exited during start-up; end of its log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "Janus' HTTP API did not answer within $1 s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Stops Janus (SIGTERM: it closes its PeerConnections and sessions), SIGKILL after 10 s.
fanout_janus_stop() {
  [ -n "$PJF_JANUS_PID" ] || return 0
  if kill -0 "$PJF_JANUS_PID" 2>/dev/null; then
    kill -TERM "$PJF_JANUS_PID" 2>/dev/null || true
    fanout_wait_gone 10 "$PJF_JANUS_PID" || kill -KILL "$PJF_JANUS_PID" 2>/dev/null || true
  fi
  wait "$PJF_JANUS_PID" 2>/dev/null || true # its exit status is not the run's
  PJF_JANUS_PID=
}

fanout_cleanup() {
  fanout_janus_stop
  fanout_netns_down
}

# EXIT runs the cleanup; INT and TERM exit (and so run it) instead of leaving the namespace behind.
fanout_install_cleanup_trap() {
  trap fanout_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
