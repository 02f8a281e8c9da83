package io.projector.sfu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Process-wide media counters. Hot-path failures are counted here instead of being thrown or logged, so a
 * flood of garbage costs an increment, not a log line. Exposed to metrics by the signaling module.
 */
public final class MediaCounters {
  public final LongAdder rtpPacketsIn = new LongAdder();
  public final LongAdder rtpBytesIn = new LongAdder();
  public final LongAdder rtpPacketsOut = new LongAdder();
  public final LongAdder rtpBytesOut = new LongAdder();
  public final LongAdder rtcpPacketsIn = new LongAdder();
  public final LongAdder rtcpPacketsOut = new LongAdder();
  public final LongAdder srtpFailures = new LongAdder();
  public final LongAdder malformedPackets = new LongAdder();
  public final LongAdder unknownPackets = new LongAdder();
  public final LongAdder droppedQueueFull = new LongAdder();
  /** Datagrams a send lane dropped because its ring was full (the send threads fell behind). */
  public final LongAdder droppedSendQueueFull = new LongAdder();
  public final LongAdder droppedNoRoute = new LongAdder();
  /** Datagrams a send lane could not hand to the kernel (a socket error such as an unreachable destination). */
  public final LongAdder sendFailures = new LongAdder();
  public final LongAdder keyframeRequestsFromViewers = new LongAdder();
  public final LongAdder keyframeRequestsSent = new LongAdder();
  public final LongAdder dtlsFailures = new LongAdder();
  public final LongAdder dtlsFingerprintMismatches = new LongAdder();
  /** Peers removed because no authentic ICE check from them ever arrived. */
  public final LongAdder iceFailures = new LongAdder();
  /** STUN on the media port that is not an authentic binding request for one of our peers (not answered). */
  public final LongAdder iceChecksRejected = new LongAdder();
  /** Non-STUN datagrams from an address no peer's check came from. */
  public final LongAdder datagramsFromUnknownSources = new LongAdder();
  /** Datagrams whose handling threw (a bug, not an attack): counted, and the media port reads on. */
  public final LongAdder datagramsFailed = new LongAdder();
  public final LongAdder peersTimedOut = new LongAdder();
  public final LongAdder nacksFromViewers = new LongAdder();
  public final LongAdder packetsRetransmitted = new LongAdder();
  public final LongAdder retransmissionMisses = new LongAdder();
  public final LongAdder nacksSentToPresenter = new LongAdder();
  public final LongAdder packetsRepairedFromPresenter = new LongAdder();
  public final LongAdder paddingProbesDropped = new LongAdder();
  public final LongAdder viewersCaughtUpFromCache = new LongAdder();

  /**
   * Receives, for every forwarded packet, the time from its arrival on the host (the kernel's stamp, when known)
   * to its send to the last viewer, in nanoseconds. A plain hook so sfu-core stays free of a metrics library; signaling binds it to a
   * histogram.
   */
  public volatile LongConsumer forwardDelayNs = ns -> {};

  /**
   * Receives, for every presenter RTP packet whose arrival the kernel stamped, how long it waited on the host before
   * the media port's thread read it, in nanoseconds (signaling binds it to a histogram).
   */
  public volatile LongConsumer receiveDelayNs = ns -> {};

  /** A snapshot by name, for diagnostics and tests. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("rtp.packets.in", rtpPacketsIn.sum());
    m.put("rtp.bytes.in", rtpBytesIn.sum());
    m.put("rtp.packets.out", rtpPacketsOut.sum());
    m.put("rtp.bytes.out", rtpBytesOut.sum());
    m.put("rtcp.packets.in", rtcpPacketsIn.sum());
    m.put("rtcp.packets.out", rtcpPacketsOut.sum());
    m.put("srtp.failures", srtpFailures.sum());
    m.put("packets.malformed", malformedPackets.sum());
    m.put("packets.unknown", unknownPackets.sum());
    m.put("packets.dropped.queue.full", droppedQueueFull.sum());
    m.put("packets.dropped.send.queue.full", droppedSendQueueFull.sum());
    m.put("packets.dropped.no.route", droppedNoRoute.sum());
    m.put("packets.dropped.send.failed", sendFailures.sum());
    m.put("keyframe.requests.from.viewers", keyframeRequestsFromViewers.sum());
    m.put("keyframe.requests.sent", keyframeRequestsSent.sum());
    m.put("dtls.failures", dtlsFailures.sum());
    m.put("dtls.fingerprint.mismatches", dtlsFingerprintMismatches.sum());
    m.put("ice.failures", iceFailures.sum());
    m.put("ice.checks.rejected", iceChecksRejected.sum());
    m.put("packets.dropped.unknown.source", datagramsFromUnknownSources.sum());
    m.put("packets.failed", datagramsFailed.sum());
    m.put("peers.timed.out", peersTimedOut.sum());
    m.put("nacks.from.viewers", nacksFromViewers.sum());
    m.put("packets.retransmitted", packetsRetransmitted.sum());
    m.put("retransmission.misses", retransmissionMisses.sum());
    m.put("nacks.sent.to.presenter", nacksSentToPresenter.sum());
    m.put("packets.repaired.from.presenter", packetsRepairedFromPresenter.sum());
    m.put("padding.probes.dropped", paddingProbesDropped.sum());
    m.put("viewers.caught.up.from.cache", viewersCaughtUpFromCache.sum());
    return m;
  }
}
