package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.LayerSelector;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.ViewerPacketWriter;
import io.projector.sfu.forward.Vp8Rewriter;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Rtx;
import io.projector.sfu.rtp.TransportSequence;
import io.projector.sfu.rtp.Vp8Descriptor;
import java.util.List;

/**
 * The packet path of one session, on its worker thread: decrypt what peers send; forward the presenter's RTP to
 * every viewer (one copy each, rewritten and encrypted for that viewer), choosing per viewer which simulcast layer
 * it gets; answer viewers' NACKs from the shared packet caches. What goes back to the presenter is in
 * {@link UpstreamFeedback}.
 */
final class Forwarder {
  /** When a viewer still waits for a keyframe this long after the last request, ask again. */
  static final long KEYFRAME_RETRY_MS = 1000;
  /**
   * A keyframe at most this old when a viewer is about to connect is still young enough to be replayed when it
   * does (within {@link ViewerRepairs#CATCH_UP_MAX_KEYFRAME_AGE_MS}): no new one is asked for.
   */
  static final long JOIN_KEYFRAME_FRESH_MS = 500;
  /** How long a keyframe request is expected to take to be answered (a keyframe starts arriving). */
  static final long KEYFRAME_ANSWER_WAIT_MS = 400;

  private final SessionPeers peers;
  private final MediaConfig config;
  private final MediaCounters counters;
  private final UpstreamFeedback upstream;
  /**
   * The one buffer every viewer's copy is rewritten and encrypted in, in turn: sends are synchronous, so one
   * buffer serves all viewers and nothing is allocated per packet.
   */
  private final byte[] scratch = new byte[InboundPacket.CAPACITY];
  private final boolean[] keyframeWanted = new boolean[8];
  private final boolean[] layerWanted = new boolean[8];
  private List<String> layerAdvice;
  private final ViewerRepairs repairs;

  Forwarder(SessionPeers peers, MediaConfig config, MediaCounters counters) {
    this.peers = peers;
    this.config = config;
    this.counters = counters;
    this.upstream = new UpstreamFeedback(this, config, counters);
    this.repairs = new ViewerRepairs(this, peers, counters);
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
        upstream.sendTransportFeedback(peer, p.arrivalNs / 1000);
      }
    }
    if (peer == peers.presenter) {
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
      PresenterVideo video = from.video;
      int layer = video == null ? -1 : video.rtxLayer(buf, len, RtpHeader.ssrc(buf, 0), nowMs);
      if (layer < 0 || video.ssrc(layer) < 0) {
        counters.droppedNoRoute.increment();
        return;
      }
      int originalLength = Rtx.unwrap(buf, 0, len, from.rtxApt[pt], video.ssrc(layer));
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
      ReceiveStatistics stats = from.inboundStats.findOrAdd(ssrc, kind == 2 ? 90000 : 48000);
      if (stats != null) {
        stats.onPacket(seq, RtpHeader.timestamp(buf, 0), arrivalMs);
      }
    }
    boolean sent = kind == 2 ? forwardVideo(from, buf, len, pt, ssrc, seq, nowMs) : forwardAudio(buf, len, pt);
    if (sent) {
      counters.forwardDelayNs.accept(System.nanoTime() - arrivalNs);
    }
  }

  private boolean forwardAudio(byte[] buf, int len, int pt) {
    boolean sent = false;
    List<Peer> viewers = peers.viewers;
    for (int i = 0, n = viewers.size(); i < n; i++) {
      Peer v = viewers.get(i);
      OutboundStream out = v.audioOut;
      if (!v.connected() || out == null || !out.accepts(pt)) {
        continue;
      }
      sent |= send(v, v.writer.write(out, null, buf, len, false, scratch));
    }
    return sent;
  }

  private boolean forwardVideo(Peer from, byte[] buf, int len, int pt, long ssrc, int seq, long nowMs) {
    PresenterVideo video = from.video;
    boolean vp8 = !from.h264ByPayloadType[pt];
    int payloadOff = RtpHeader.headerLength(buf, 0, len);
    int payloadLen = RtpHeader.payloadLength(buf, 0, len);
    boolean keyframeStart = vp8 ? Keyframes.isVp8KeyframeStart(buf, payloadOff, payloadLen)
        : Keyframes.isH264KeyframeStart(buf, payloadOff, payloadLen);
    int tid = vp8 ? Vp8Descriptor.temporalLayerId(buf, payloadOff, payloadLen) : -1;
    int layer = video.onMedia(buf, len, vp8, tid, keyframeStart, ssrc, nowMs);
    if (layer < 0) {
      counters.droppedNoRoute.increment();
      return false;
    }
    video.cache(layer).put(buf, 0, len, nowMs);
    video.nacks(layer).onPacket(seq, nowMs);
    video.onSequence(layer, seq);
    long timestamp = RtpHeader.timestamp(buf, 0);
    if (keyframeStart) {
      video.onKeyframe(layer, seq, timestamp, nowMs);
    }
    video.onFramePacket(layer, timestamp, RtpHeader.marker(buf, 0));
    boolean sent = false;
    java.util.Arrays.fill(keyframeWanted, false);
    List<Peer> viewers = peers.viewers;
    for (int i = 0, n = viewers.size(); i < n; i++) {
      Peer v = viewers.get(i);
      if (v.connected()) {
        sent |= forwardVideoTo(v, video, buf, len, pt, layer, vp8, keyframeStart);
      }
    }
    if (nowMs - upstream.lastKeyframeRequestMs >= KEYFRAME_RETRY_MS) {
      for (int l = 0; l < video.layerCount(); l++) {
        if (keyframeWanted[l]) {
          upstream.requestKeyframe(from, l, nowMs);
        }
      }
    }
    return sent;
  }

  /**
   * Forwards one presenter video packet to one viewer, if it belongs to the viewer's layer (switching layers at a
   * keyframe). Notes in {@link #keyframeWanted} when the viewer waits for a keyframe.
   */
  boolean forwardVideoTo(Peer v, PresenterVideo video, byte[] buf, int len, int pt, int layer, boolean vp8,
      boolean keyframeStart) {
    OutboundStream out = v.videoOut;
    if (out == null || !out.accepts(pt)) {
      return false;
    }
    int target = targetLayer(v, video);
    long targetSsrc = video.ssrc(target);
    if (target < 0 || targetSsrc < 0) {
      return false;
    }
    int admitted = Vp8Rewriter.FORWARDED;
    if (vp8) {
      admitted = v.vp8.admit(buf, 0, len, targetSsrc, maxTemporalId(v, video));
      if (admitted < 0) {
        keyframeWanted[target] |= v.vp8.awaitingKeyframe(targetSsrc);
        return false;
      }
    } else if (layer != target) {
      return false;
    }
    int written = v.writer.write(out, vp8 ? v.vp8 : null, buf, len, keyframeStart, scratch);
    if (written == ViewerPacketWriter.NOT_WRITTEN) {
      keyframeWanted[target] |= out.awaitingKeyframe();
      return false;
    }
    if (admitted == Vp8Rewriter.SWITCHED && video.simulcast != null) {
      v.selector.onSwitched(layer);
    }
    return send(v, written);
  }

  /** The bandwidth budget for a viewer's layer choice, from its estimate and the layers' measured rates. */
  private static long budgetBps(Peer v, PresenterVideo video, long nowMs, long nowUs) {
    int current = v.selector.currentLayer();
    if (current < 0) {
      current = v.selector.targetLayer();
    }
    long currentBps = current < 0 ? 0 : video.simulcast.bitrateBps(current, nowMs);
    long nextBps = current < 0 || current + 1 >= video.layerCount() ? 0
        : video.simulcast.bitrateBps(current + 1, nowMs);
    return v.bandwidth.budgetBps(v.bwe, nowMs, nowUs, currentBps, nextBps);
  }

  /** The layer a viewer should receive now: its selector's choice with simulcast, the only layer otherwise. */
  static int targetLayer(Peer v, PresenterVideo video) {
    if (video.simulcast == null) {
      return 0;
    }
    int t = v.selector.targetLayer();
    return t >= 0 ? t : video.topKnownLayer();
  }

  private static int maxTemporalId(Peer v, PresenterVideo video) {
    return video.simulcast == null || v.selector.targetLayer() < 0 ? LayerSelector.ALL_TEMPORAL
        : v.selector.targetTemporalId();
  }

  /**
   * Stamps the viewer's own transport-wide sequence number (when negotiated), encrypts and sends the packet
   * already rewritten for the viewer in {@link #scratch}[0, len) (a retransmission).
   */
  boolean sendToViewer(Peer v, int len, int transportSeqId) {
    return send(v, v.writer.seal(scratch, len, transportSeqId));
  }

  /**
   * Sends what the viewer's writer just left in {@link #scratch} (its protected length, or a negative
   * {@link ViewerPacketWriter} code: nothing is sent) and records it for the viewer's bandwidth estimate, which
   * its feedback on our transport-wide sequence numbers drives.
   */
  private boolean send(Peer v, int protectedLength) {
    if (protectedLength <= 0) {
      return false;
    }
    // The send time is read before the send: the estimator's baseline is the minimum one-way delay, so a stamp
    // taken late (this thread preempted after the packet left, a busy machine) would make that packet look
    // faster than the path and every later one look queued; a stamp taken early only looks like a brief queue.
    long sendUs = System.nanoTime() / 1000;
    if (!v.sender.send(scratch, 0, protectedLength)) {
      return false;
    }
    counters.rtpPacketsOut.increment();
    counters.rtpBytesOut.add(protectedLength);
    int transportSeq = v.writer.lastTransportSeq();
    if (transportSeq >= 0 && v.bwe != null) {
      v.bwe.onPacketSent(transportSeq, protectedLength, sendUs);
    }
    return true;
  }

  /** A viewer lost packets: resend them from the presenter's cache (over RTX when negotiated). */
  void onViewerNack(Peer viewer, byte[] buf, int pos, int packetLength, long nowMs) {
    repairs.onViewerNack(viewer, buf, pos, packetLength, nowMs);
  }

  /** A viewer just connected: replay a recent keyframe and what followed from the cache (see ViewerRepairs). */
  ViewerRepairs.CatchUp catchUp(Peer viewer, long nowMs) {
    return repairs.catchUp(viewer, nowMs);
  }

  /** A viewer asked for a keyframe (PLI/FIR, or it just connected): for the layer it is meant to receive. */
  void requestKeyframeFor(Peer viewer, long nowMs) {
    int layer = startLayer(viewer, nowMs);
    if (layer >= 0) {
      upstream.requestKeyframe(peers.presenter, layer, nowMs);
    }
  }

  /**
   * A viewer is about to connect (its page looked the session up: {@code viewer} null; or its offer arrived): have
   * a keyframe of the layer it will start on in the cache, or on its way, by the time it connects, so that
   * {@link #catchUp} shows it at once instead of a new keyframe being asked for, encoded and paced out then. The
   * presenter is asked only when no recent keyframe is there and none is awaited: joins close together share one.
   */
  void prepareJoin(Peer viewer, long nowMs) {
    int layer = startLayer(viewer, nowMs);
    if (layer < 0) {
      return;
    }
    PresenterVideo video = peers.presenter.video;
    if (video.keyframeAgeMs(layer, nowMs) > JOIN_KEYFRAME_FRESH_MS
        && !video.keyframes(layer).awaiting(nowMs, KEYFRAME_ANSWER_WAIT_MS)) {
      upstream.requestKeyframe(peers.presenter, layer, nowMs);
    }
  }

  /** The layer a viewer receives (or, joining, starts on); the top active layer for a viewer not known yet. */
  private int startLayer(Peer viewer, long nowMs) {
    Peer presenter = peers.presenter;
    if (presenter == null || presenter.video == null) {
      return -1;
    }
    PresenterVideo video = presenter.video;
    if (video.simulcast == null) {
      return 0;
    }
    if (viewer == null) {
      return video.topActiveLayer(nowMs);
    }
    if (viewer.selector != null && viewer.selector.targetLayer() < 0) {
      viewer.selector.select(nowMs, Long.MAX_VALUE, video.simulcast); // joining: the top layer
    }
    return targetLayer(viewer, video);
  }

  void tick(long nowMs) {
    Peer presenter = peers.presenter;
    if (presenter == null || !presenter.connected()) {
      return;
    }
    long nowUs = System.nanoTime() / 1000;
    upstream.tick(presenter, nowMs, nowUs);
    PresenterVideo video = presenter.video;
    if (video == null) {
      return;
    }
    boolean retry = nowMs - upstream.lastKeyframeRequestMs >= KEYFRAME_RETRY_MS;
    List<Peer> viewers = peers.viewers;
    for (int i = 0, n = viewers.size(); i < n; i++) {
      Peer v = viewers.get(i);
      if (!v.connected() || v.videoOut == null) {
        continue;
      }
      if (video.simulcast != null && v.selector != null) {
        int before = v.selector.targetLayer();
        v.selector.select(nowMs, budgetBps(v, video, nowMs, nowUs), video.simulcast);
        if (v.selector.switchPending() && (v.selector.targetLayer() != before || retry)) {
          upstream.requestKeyframe(presenter, v.selector.targetLayer(), nowMs);
        }
      } else if (retry && v.videoOut.awaitingKeyframe()) {
        upstream.requestKeyframe(presenter, 0, nowMs);
      }
    }
    if (video.demand != null && updateDemand(video, nowMs)) {
      layerAdvice = activeRids(video);
    }
  }

  /** Whether the advice on which layers the presenter should send changed (see {@link LayerDemand}). */
  private boolean updateDemand(PresenterVideo video, long nowMs) {
    java.util.Arrays.fill(layerWanted, false);
    List<Peer> viewers = peers.viewers;
    for (int layer = 1; layer < video.layerCount() - 1; layer++) {
      for (int i = 0, n = viewers.size(); i < n && !layerWanted[layer]; i++) {
        Peer v = viewers.get(i);
        layerWanted[layer] = v.connected() && v.videoOut != null && v.selector != null
            && v.selector.couldUse(layer, video.simulcast);
      }
    }
    return video.demand.update(nowMs, layerWanted);
  }

  private static List<String> activeRids(PresenterVideo video) {
    List<String> rids = new java.util.ArrayList<>(video.layerCount());
    for (int layer = 0; layer < video.layerCount(); layer++) {
      if (video.demand.active(layer)) {
        rids.add(video.simulcast.rid(layer));
      }
    }
    return List.copyOf(rids);
  }

  /**
   * The rids the presenter was last advised to send, when that advice changed since the previous call (and
   * once for each new presenter); null otherwise.
   */
  List<String> takeLayerAdvice() {
    List<String> advice = layerAdvice;
    layerAdvice = null;
    return advice;
  }

  byte[] scratch() {
    return scratch;
  }

  List<Peer> viewers() {
    return peers.viewers;
  }

  MediaCounters counters() {
    return counters;
  }

  /** Protects and sends the RTCP packet in {@link #scratch}[0, len). */
  void sendRtcp(Peer p, int len) {
    int protectedLength = p.encoder.protectRtcp(scratch, 0, len);
    if (protectedLength > 0 && p.sender.send(scratch, 0, protectedLength)) {
      counters.rtcpPacketsOut.increment();
    }
  }
}
