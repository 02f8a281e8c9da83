#!/usr/bin/env bash
# Captures what the load generator's Janus peer must match, from the Janus of bench/fanout (Debian's 1.1.2):
#   janus-publisher-answer.sdp   Janus' answer to the Chrome presenter offer of the signaling tests, its
#                                candidates replaced by one host candidate on the load generator's address
#   janus-subscriber-offer.sdp   Janus' offer to a viewer of a Chromium presenter (Janus refuses viewers until
#                                the presenter's PeerConnection is up, so a real browser has to publish)
#   probe-result.json, roles.json  Chromium's SDP and getStats() facts: ICE/DTLS roles, checks, RTCP feedback
# Usage: sudo bench/fanout/janus/capture/capture-sdp.sh [OUTPUT_DIR]
# Needs janus, chromium, curl, jq, python3. Everything runs in the pj-fanout namespace and is removed on exit.
# The fixtures in loadtest/src/test/resources/sdp came from this; new ones need JanusSdpFixturesTest updated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
out=${1:-$(mktemp -d /tmp/janus-capture.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
for tool in janus chromium curl jq python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done
# shellcheck source-path=SCRIPTDIR source=../../netns.sh
source "$here/../../netns.sh"
fanout_install_cleanup_trap
fanout_netns_up
fanout_janus_start "$out/janus.log"
fanout_janus_wait 30 "$out/janus.log"

janus_post() { # PATH JSON
  fanout_in_ns curl -sf --max-time 10 -H 'Content-Type: application/json' -d "$2" "$(fanout_janus_url)$1"
}

# 1. The presenter answer. Nothing answers Janus' checks on 10.77.0.2:50000; the SDP is all we want.
session=$(janus_post "" '{"janus":"create","transaction":"c1"}' | jq -e .data.id)
handle=$(janus_post "/$session" '{"janus":"attach","plugin":"janus.plugin.videoroom","transaction":"c2"}' | jq -e .data.id)
room=$(janus_post "/$session/$handle" "$(jq -c '{janus:"message",transaction:"c3",body:.}' "$here/room.json")" \
  | jq -e .plugindata.data.room)
offer=$(awk '/^a=candidate:/ { if ($0 ~ / typ host / && $0 !~ /\.local /)
               print "a=candidate:3885250869 1 udp 2122260223 10.77.0.2 50000 typ host generation 0"; next }
             { print }' "$repo/signaling/src/test/resources/sdp/chrome-presenter-offer.sdp")
janus_post "/$session/$handle" "$(jq -nc --arg sdp "$offer" --argjson room "$room" '{janus:"message",transaction:"c4",
  body:{request:"joinandconfigure",ptype:"publisher",room:$room},jsep:{type:"offer",sdp:$sdp,trickle:false}}')" \
  | jq -e '.janus == "ack"' >/dev/null
fanout_in_ns curl -sf --max-time 35 "$(fanout_janus_url)/$session?maxev=10" \
  | jq -je '[.[] | select(.transaction == "c4")][0].jsep.sdp' >"$out/janus-publisher-answer.sdp"
janus_post "/$session" '{"janus":"destroy","transaction":"c5"}' >/dev/null

# 2. Chromium publishes and subscribes (probe.html), the sink stores its report.
fanout_in_ns python3 "$here/result-sink.py" "$out" &
sink=$!
until fanout_in_ns curl -sf --max-time 1 -o /dev/null http://127.0.0.1:8099/probe.html; do
  kill -0 "$sink" 2>/dev/null || { echo "result sink did not start" >&2; exit 1; }
  sleep 0.1
done
fanout_in_ns chromium --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --user-data-dir="$out/chromium-profile" --use-fake-device-for-media-stream \
  --use-fake-ui-for-media-stream http://127.0.0.1:8099/probe.html >"$out/chromium.log" 2>&1 &
chromium=$!
deadline=$((SECONDS + 90))
until [ -f "$out/probe-result.json" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "no result from Chromium within 90 s" >&2; exit 1; }
  sleep 0.2
done
kill "$chromium" "$sink" 2>/dev/null || true
jq -e '.notes | index("viewer up")' "$out/probe-result.json" >/dev/null \
  || { jq -r '.notes[]' "$out/probe-result.json" >&2; exit 1; }
jq -j .subscriberOffer "$out/probe-result.json" >"$out/janus-subscriber-offer.sdp"
jq 'def side(f): {iceRole: f.transport.iceRole, dtlsRole: f.transport.dtlsRole, srtpCipher: f.transport.srtpCipher,
      dtlsCipher: f.transport.dtlsCipher, checksFromJanus: f.nominatedPair.requestsReceived,
      checksToJanus: f.nominatedPair.requestsSent, consentChecksToJanus: f.nominatedPair.consentRequestsSent};
    {presenter: (side(.presenterFacts) + {pliFromJanus: .presenterFacts["outbound-rtp"].pliCount,
       nackFromJanus: .presenterFacts["outbound-rtp"].nackCount,
       receiverReportsFromJanus: (.presenterFacts["remote-inbound-rtp"] != null)}),
     viewer: (side(.viewerFacts) + {videoSsrcFromJanus: .viewerFacts["inbound-rtp"].ssrc,
       senderReportsFromJanus: .viewerFacts["remote-outbound-rtp"].reportsSent,
       framesDecoded: .viewerFacts["inbound-rtp"].framesDecoded})}' "$out/probe-result.json" >"$out/roles.json"
cat "$out/roles.json"
echo "captured into $out"
