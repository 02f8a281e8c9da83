package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.KeyframeRequester;
import io.projector.sfu.forward.NackGenerator;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.PacketCache;
import io.projector.sfu.forward.Retransmitter;
import io.projector.sfu.rtcp.Nack;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtcp.RtcpWriter;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Rtx;
import io.projector.sfu.rtp.TransportSequence;
import java.util.List;

/**
 * The packet path of one session, on its worker thread: decrypt what peers send, forward the presenter's RTP to
 * every viewer (one copy each, rewritten and encrypted for that viewer), send receiver reports and merged
 * keyframe requests to the presenter.
 */
final class Forwarder {
  /** When a viewer still waits for a keyframe this long after the last request, ask again. */
  static final long KEYFRAME_RETRY_MS = 1000;
  /**
   * Round-trip time assumed toward the presenter when spacing NACK retries (the generator never retries faster
   * than 20 ms). Not measured yet: the presenter sends no receiver reports we could time.
   */
  static final long PRESENTER_RTT_ESTIMATE_MS = 50;

  private final MediaSession session;
  private final MediaConfig config;
  private final MediaCounters counters;
  private final KeyframeRequester keyframes;
  /** The one buffer each viewer's copy is rewritten and encrypted in; sends are synchronous, so it is reused. */
  private final byte[] scratch = new byte[InboundPacket.CAPACITY];
  private final int[] nackSeqs = new int[1024];
  private long lastReportMs;
  private long lastKeyframeRequestMs;

  Forwarder(MediaSession session, MediaConfig config, MediaCounters counters) {
    this.session = session;
    this.config = config;
    this.counters = counters;
    this.keyframes = new KeyframeRequester(config.keyframeMinIntervalMs());
  }

  void handlePacket(InboundPacket p, long nowMs) {
    Peer peer = p.peer;
    if (!peer.connected() || peer.decoder == null) {
      counters.droppedNoRoute.increment();
      return;
    }
    if (p.rtcp) {
      int len = peer.decoder.unprotectRtcp(p.buf, 0, p.length);
      if (len < 0) {
        counters.srtpFailures.increment();
        return;
      }
      counters.rtcpPacketsIn.increment();
      RtcpHandler.handle(this, peer, p.buf, len, p.arrivalMs);
      return;
    }
    int len = peer.decoder.unprotectRtp(p.buf, 0, p.length);
    if (len < 0) {
      counters.srtpFailures.increment();
      return;
    }
    if (!RtpHeader.isValid(p.buf, 0, len)) {
      counters.malformedPackets.increment();
      return;
    }
    counters.rtpPacketsIn.increment();
    counters.rtpBytesIn.add(len);
    if (peer.transportCc != null) {
      // Every packet counts for congestion control, bandwidth probes (padding-only RTX) included.
      int transportSeq = TransportSequence.read(p.buf, 0, len, peer.transportCcExtId);
      if (transportSeq >= 0) {
        peer.transportCc.onPacket(transportSeq, p.arrivalNs / 1000);
        sendTransportFeedback(peer, p.arrivalNs / 1000);
      }
    }
    if (peer == session.presenter()) {
      forwardFromPresenter(peer, p.buf, len, p.arrivalMs, p.arrivalNs, nowMs);
    } else {
      counters.droppedNoRoute.increment(); // viewers send no media
    }
  }

  private void forwardFromPresenter(Peer from, byte[] buf, int len, long arrivalMs, long arrivalNs, long nowMs) {
    int pt = RtpHeader.payloadType(buf, 0);
    boolean repaired = false;
    if (from.rtxApt[pt] >= 0) {
      // A retransmission we asked for (RFC 4588): restore the original packet, then forward it like any other.
      if (from.videoSsrc < 0) {
        counters.droppedNoRoute.increment();
        return;
      }
      int originalLength = Rtx.unwrap(buf, 0, len, from.rtxApt[pt], from.videoSsrc);
      if (originalLength == Rtx.PADDING_ONLY) {
        counters.paddingProbesDropped.increment(); // bandwidth probes carry nothing to forward
        return;
      }
      if (originalLength < 0) {
        counters.malformedPackets.increment();
        return;
      }
      len = originalLength;
      pt = RtpHeader.payloadType(buf, 0);
      repaired = true;
      counters.packetsRepairedFromPresenter.increment();
    }
    int kind = from.kindByPayloadType[pt];
    if (kind == 0) {
      counters.droppedNoRoute.increment();
      return;
    }
    long ssrc = RtpHeader.ssrc(buf, 0);
    int seq = RtpHeader.sequenceNumber(buf, 0);
    if (!repaired) { // receiver reports must show the presenter's real loss, so repairs are not counted
      ReceiveStatistics stats = from.inboundStats.get(ssrc);
      if (stats == null && from.inboundStats.size() < Peer.MAX_INBOUND_SSRCS) {
        stats = new ReceiveStatistics(ssrc, kind == 2 ? 90000 : 48000);
        from.inboundStats.put(ssrc, stats);
      }
      if (stats != null) {
        stats.onPacket(seq, RtpHeader.timestamp(buf, 0), arrivalMs);
      }
    }
    boolean video = kind == 2;
    boolean keyframeStart = false;
    if (video) {
      if (ssrc != from.videoSsrc || from.videoCache == null) {
        from.videoSsrc = ssrc;
        from.videoCache = from.videoCache == null ? new PacketCache() : from.videoCache;
        from.videoCache.clear();
        from.nackGenerator = new NackGenerator();
      }
      int payloadOff = RtpHeader.headerLength(buf, 0, len);
      int payloadLen = RtpHeader.payloadLength(buf, 0, len);
      keyframeStart = "H264".equalsIgnoreCase(from.codecByPayloadType[pt])
          ? Keyframes.isH264KeyframeStart(buf, payloadOff, payloadLen)
          : Keyframes.isVp8KeyframeStart(buf, payloadOff, payloadLen);
      from.videoCache.put(buf, 0, len, nowMs);
      from.nackGenerator.onPacket(seq, nowMs);
      if (keyframeStart) {
        keyframes.onKeyframe(nowMs);
        from.nackGenerator.onKeyframe(seq);
      }
    }
    boolean needKeyframe = false;
    boolean sent = false;
    List<Peer> viewers = session.viewers();
    for (int i = 0, n = viewers.size(); i < n; i++) {
      Peer v = viewers.get(i);
      OutboundStream out = video ? v.videoOut : v.audioOut;
      if (!v.connected() || out == null || !out.accepts(pt)) {
        continue;
      }
      int outLen = out.copyOut(buf, len, scratch, keyframeStart);
      if (outLen < 0) {
        needKeyframe |= out.awaitingKeyframe();
        continue;
      }
      sent |= sendToViewer(v, outLen, out.transportSequenceId());
    }
    if (sent) {
      counters.forwardDelayNs.accept(System.nanoTime() - arrivalNs);
    }
    if (needKeyframe && nowMs - lastKeyframeRequestMs >= KEYFRAME_RETRY_MS) {
      requestKeyframe(nowMs);
    }
  }

  /** A viewer (or a joining viewer) needs a keyframe: merged and throttled toward the presenter. */
  void requestKeyframe(long nowMs) {
    if (presenterVideoReady() && keyframes.request(nowMs)) {
      sendPli(nowMs);
    }
    // Otherwise asked again when the presenter's video starts (see tick).
  }

  private boolean presenterVideoReady() {
    Peer p = session.presenter();
    return p != null && p.connected() && p.videoSsrc >= 0;
  }

  private void sendPli(long nowMs) {
    Peer p = session.presenter();
    int len = RtcpWriter.writePli(scratch, 0, p.rtcpSenderSsrc, p.videoSsrc);
    sendRtcp(p, len);
    lastKeyframeRequestMs = nowMs;
    counters.keyframeRequestsSent.increment();
  }

  byte[] scratch() {
    return scratch;
  }

  List<Peer> viewers() {
    return session.viewers();
  }

  MediaCounters counters() {
    return counters;
  }

  /** Protects and sends the RTCP packet in {@link #scratch}[0, len). */
  void sendRtcp(Peer p, int len) {
    int protectedLength = p.encoder.protectRtcp(scratch, 0, len);
    if (protectedLength > 0 && p.ice.send(scratch, 0, protectedLength)) {
      counters.rtcpPacketsOut.increment();
    }
  }

  void tick(long nowMs) {
    Peer presenter = session.presenter();
    if (presenter == null || !presenter.connected()) {
      return;
    }
    if (keyframes.poll(nowMs) && presenterVideoReady()) {
      sendPli(nowMs);
    }
    requestRepairs(presenter, nowMs);
    if (presenter.transportCc != null) {
      sendTransportFeedback(presenter, System.nanoTime() / 1000);
    }
    if (nowMs - lastReportMs >= config.receiverReportIntervalMs()) {
      lastReportMs = nowMs;
      sendReceiverReport(presenter, nowMs);
    }
    if (nowMs - lastKeyframeRequestMs >= KEYFRAME_RETRY_MS) {
      for (Peer v : session.viewers()) {
        if (v.connected() && v.videoOut != null && v.videoOut.awaitingKeyframe()) {
          requestKeyframe(nowMs);
          break;
        }
      }
    }
  }

  /**
   * Stamps the viewer's own transport-wide sequence number (when negotiated), encrypts and sends the packet in
   * {@link #scratch}; the viewer's feedback on those numbers drives its bandwidth estimate.
   */
  private boolean sendToViewer(Peer v, int len, int transportSeqId) {
    int transportSeq = -1;
    if (transportSeqId > 0 && TransportSequence.write(scratch, 0, len, transportSeqId, v.nextTransportSeq)) {
      transportSeq = v.nextTransportSeq;
      v.nextTransportSeq = (v.nextTransportSeq + 1) & 0xffff;
    }
    int protectedLength = v.encoder.protectRtp(scratch, 0, len);
    if (protectedLength <= 0 || !v.ice.send(scratch, 0, protectedLength)) {
      return false;
    }
    counters.rtpPacketsOut.increment();
    counters.rtpBytesOut.add(protectedLength);
    if (transportSeq >= 0 && v.bwe != null) {
      v.bwe.onPacketSent(transportSeq, protectedLength, System.nanoTime() / 1000);
    }
    return true;
  }

  /** Transport-wide congestion feedback to the presenter, when due (every ~50 ms or 100 packets). */
  private void sendTransportFeedback(Peer presenter, long nowUs) {
    if (!presenter.transportCc.feedbackDue(nowUs)) {
      return;
    }
    int n;
    while ((n = presenter.transportCc.writeFeedback(scratch, 0, presenter.rtcpSenderSsrc,
        Math.max(presenter.videoSsrc, 0), nowUs)) > 0) {
      sendRtcp(presenter, n);
    }
  }

  /** A viewer lost packets: resend them from the presenter's cache (over RTX when negotiated). */
  void onViewerNack(Peer viewer, byte[] buf, int pos, int packetLength, long nowMs) {
    int n = Nack.parse(buf, pos, packetLength, nackSeqs);
    if (n < 0) {
      counters.malformedPackets.increment();
      return;
    }
    Peer presenter = session.presenter();
    OutboundStream out = viewer.videoOut;
    if (out == null || viewer.retransmitter == null || RtcpHeader.mediaSsrc(buf, pos) != out.ssrc()
        || presenter == null || presenter.videoCache == null) {
      return;
    }
    counters.nacksFromViewers.add(n);
    for (int i = 0; i < n; i++) {
      int len = viewer.retransmitter.resend(nackSeqs[i], presenter.videoCache, out, scratch, nowMs, 0);
      if (len == Retransmitter.MISS) {
        counters.retransmissionMisses.increment();
      }
      if (len <= 0) {
        continue;
      }
      if (sendToViewer(viewer, len, out.transportSequenceId())) {
        counters.packetsRetransmitted.increment();
      }
    }
  }

  /** Losses between presenter and SFU: NACK them upstream, or ask for a keyframe when that is hopeless. */
  private void requestRepairs(Peer presenter, long nowMs) {
    NackGenerator generator = presenter.nackGenerator;
    if (generator == null) {
      return;
    }
    int n = generator.collect(nowMs, PRESENTER_RTT_ESTIMATE_MS, nackSeqs);
    if (n > 0) {
      int len = Nack.write(scratch, 0, presenter.rtcpSenderSsrc, presenter.videoSsrc, nackSeqs, n);
      if (len > 0) {
        sendRtcp(presenter, len);
        counters.nacksSentToPresenter.add(n);
      }
    }
    if (generator.keyframeAdvised()) {
      requestKeyframe(nowMs);
    }
  }

  private void sendReceiverReport(Peer p, long nowMs) {
    int blocks = 0;
    for (ReceiveStatistics s : p.inboundStats.values()) {
      if (s.hasPackets() && blocks < 31) {
        blocks++;
      }
    }
    if (blocks == 0) {
      return;
    }
    int pos = RtcpWriter.writeReceiverReportHeader(scratch, 0, p.rtcpSenderSsrc, blocks);
    int written = 0;
    for (ReceiveStatistics s : p.inboundStats.values()) {
      if (s.hasPackets() && written < blocks) {
        pos += s.writeReportBlock(scratch, pos, nowMs);
        written++;
      }
    }
    sendRtcp(p, pos);
  }
}
