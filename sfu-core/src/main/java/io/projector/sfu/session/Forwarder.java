package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.KeyframeRequester;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtcp.RtcpWriter;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import java.util.List;

/**
 * The packet path of one session, on its worker thread: decrypt what peers send, forward the presenter's RTP to
 * every viewer (one copy each, rewritten and encrypted for that viewer), send receiver reports and merged
 * keyframe requests to the presenter.
 */
final class Forwarder {
  /** When a viewer still waits for a keyframe this long after the last request, ask again. */
  static final long KEYFRAME_RETRY_MS = 1000;

  private final MediaSession session;
  private final MediaConfig config;
  private final MediaCounters counters;
  private final KeyframeRequester keyframes;
  /** The one buffer each viewer's copy is rewritten and encrypted in; sends are synchronous, so it is reused. */
  private final byte[] scratch = new byte[InboundPacket.CAPACITY];
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
    if (peer == session.presenter()) {
      forwardFromPresenter(peer, p.buf, len, p.arrivalMs, p.arrivalNs, nowMs);
    } else {
      counters.droppedNoRoute.increment(); // viewers send no media
    }
  }

  private void forwardFromPresenter(Peer from, byte[] buf, int len, long arrivalMs, long arrivalNs, long nowMs) {
    int pt = RtpHeader.payloadType(buf, 0);
    int kind = from.kindByPayloadType[pt];
    if (kind == 0) {
      counters.droppedNoRoute.increment();
      return;
    }
    long ssrc = RtpHeader.ssrc(buf, 0);
    ReceiveStatistics stats = from.inboundStats.get(ssrc);
    if (stats == null && from.inboundStats.size() < Peer.MAX_INBOUND_SSRCS) {
      stats = new ReceiveStatistics(ssrc, kind == 2 ? 90000 : 48000);
      from.inboundStats.put(ssrc, stats);
    }
    if (stats != null) {
      stats.onPacket(RtpHeader.sequenceNumber(buf, 0), RtpHeader.timestamp(buf, 0), arrivalMs);
    }
    boolean video = kind == 2;
    boolean keyframeStart = false;
    if (video) {
      from.videoSsrc = ssrc;
      int payloadOff = RtpHeader.headerLength(buf, 0, len);
      int payloadLen = RtpHeader.payloadLength(buf, 0, len);
      keyframeStart = "H264".equalsIgnoreCase(from.codecByPayloadType[pt])
          ? Keyframes.isH264KeyframeStart(buf, payloadOff, payloadLen)
          : Keyframes.isVp8KeyframeStart(buf, payloadOff, payloadLen);
      if (keyframeStart) {
        keyframes.onKeyframe(nowMs);
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
      int protectedLength = v.encoder.protectRtp(scratch, 0, outLen);
      if (protectedLength > 0 && v.ice.send(scratch, 0, protectedLength)) {
        counters.rtpPacketsOut.increment();
        counters.rtpBytesOut.add(protectedLength);
        sent = true;
      }
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
