package io.projector.sfu.session;

import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.PacketCache;
import io.projector.sfu.forward.Retransmitter;
import io.projector.sfu.rtcp.Nack;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import java.util.function.IntPredicate;

/**
 * What a viewer gets from the presenter's packet caches, on the worker thread: retransmissions answering its
 * NACKs, and, when it has just connected, a replay of the latest keyframe and what followed.
 */
final class ViewerRepairs {
  /** A keyframe younger than this can be replayed to a joining viewer from the cache. */
  static final long CATCH_UP_MAX_KEYFRAME_AGE_MS = 1000;
  /**
   * While the latest keyframe is still being paced out, the one before it may be replayed instead, if it is at
   * most this old and what followed it is at most {@link #CATCH_UP_MAX_PACKETS_FROM_PREVIOUS} packets: the replay
   * goes out as one burst, and a larger one (seen with 4 s and 400 packets) reads as congestion to the viewer's
   * bandwidth estimate, which then held it on a lower layer for seconds.
   */
  static final long CATCH_UP_MAX_PREVIOUS_KEYFRAME_AGE_MS = 2000;
  static final int CATCH_UP_MAX_PACKETS_FROM_PREVIOUS = 150;

  private final Forwarder forwarder;
  private final SessionPeers peers;
  private final MediaCounters counters;
  private final int[] nackSeqs = new int[1024];
  private final ResendView resendView = new ResendView();
  /** Source buffer for catch-up replays (the forward path's source is the inbound packet, not this). */
  private final byte[] catchUpBuf = new byte[InboundPacket.CAPACITY];

  ViewerRepairs(Forwarder forwarder, SessionPeers peers, MediaCounters counters) {
    this.forwarder = forwarder;
    this.peers = peers;
    this.counters = counters;
  }

  /**
   * A viewer just connected: if its layer had a keyframe recently, replay that keyframe and everything since from
   * the packet cache, so the first picture needs no new keyframe from the presenter (which costs a round trip,
   * an encode and the pacing of a large frame).
   *
   * @return what was replayed, or null when the viewer was not caught up
   */
  CatchUp catchUp(Peer viewer, long nowMs) {
    Peer presenter = peers.presenter;
    if (presenter == null || presenter.video == null || viewer.videoOut == null) {
      return null;
    }
    PresenterVideo video = presenter.video;
    int layer = Forwarder.targetLayer(viewer, video);
    PacketCache cache = video.cache(layer);
    if (layer < 0 || cache == null) {
      return null;
    }
    long maxAgeMs = CATCH_UP_MAX_PREVIOUS_KEYFRAME_AGE_MS + 500;
    int first = catchUpStart(video, layer, cache.slots(), nowMs,
        seq -> cache.get(seq, catchUpBuf, 0, nowMs, maxAgeMs) > 0);
    if (first < 0) {
      return null;
    }
    long keyframeAgeMs = first == video.keyframeSeq(layer) ? video.keyframeAgeMs(layer, nowMs)
        : video.completeKeyframeAgeMs(layer, nowMs);
    int count = ((video.lastSeq(layer) - first) & 0xffff) + 1;
    int sent = 0;
    for (int i = 0; i < count; i++) {
      int len = cache.get((first + i) & 0xffff, catchUpBuf, 0, nowMs, maxAgeMs);
      if (len <= 0) {
        if (i == 0) {
          return null; // the keyframe's first packet is gone: nothing decodable to start from
        }
        continue; // a gap the viewer will NACK like any other loss
      }
      int pt = RtpHeader.payloadType(catchUpBuf, 0);
      boolean vp8 = !presenter.h264ByPayloadType[pt];
      int payloadOff = RtpHeader.headerLength(catchUpBuf, 0, len);
      int payloadLen = RtpHeader.payloadLength(catchUpBuf, 0, len);
      boolean keyframeStart = i == 0 && (vp8 ? Keyframes.isVp8KeyframeStart(catchUpBuf, payloadOff, payloadLen)
          : Keyframes.isH264KeyframeStart(catchUpBuf, payloadOff, payloadLen));
      if (forwarder.forwardVideoTo(viewer, video, catchUpBuf, len, pt, layer, vp8, keyframeStart)) {
        sent++;
      }
    }
    if (sent == 0) {
      return null;
    }
    counters.viewersCaughtUpFromCache.increment();
    return new CatchUp(layer, sent, keyframeAgeMs);
  }

  /** A joining viewer's replay: the layer, the packets sent, and how old the keyframe they start with was. */
  record CatchUp(int layer, int packets, long keyframeAgeMs) {}

  /**
   * Where a joining viewer's replay starts: the latest keyframe of the layer if it is young enough, except that
   * while it is still being paced out (a large keyframe takes a few hundred milliseconds to arrive, and a viewer
   * joining right after asking for it would wait for all of it) the previous complete keyframe is used if it is
   * recent, not too far back and still cached; the replay then reaches the new keyframe's start too. -1: nothing
   * to replay.
   *
   * @param cached whether the packet with this sequence number is still in the layer's cache
   */
  static int catchUpStart(PresenterVideo video, int layer, int cacheSlots, long nowMs, IntPredicate cached) {
    int latest = video.keyframeSeq(layer);
    boolean latestUsable = video.keyframeAgeMs(layer, nowMs) <= CATCH_UP_MAX_KEYFRAME_AGE_MS
        && ((video.lastSeq(layer) - latest) & 0xffff) + 1 <= cacheSlots;
    if (!video.keyframeComplete(layer)) {
      int previous = video.completeKeyframeSeq(layer);
      int count = ((video.lastSeq(layer) - previous) & 0xffff) + 1;
      if (video.completeKeyframeAgeMs(layer, nowMs) <= CATCH_UP_MAX_PREVIOUS_KEYFRAME_AGE_MS
          && count <= Math.min(cacheSlots, CATCH_UP_MAX_PACKETS_FROM_PREVIOUS) && cached.test(previous)) {
        return previous;
      }
    }
    return latestUsable ? latest : -1;
  }

  /** A viewer lost packets: resend them from the presenter's cache (over RTX when negotiated). */
  void onViewerNack(Peer viewer, byte[] buf, int pos, int packetLength, long nowMs) {
    int n = Nack.parse(buf, pos, packetLength, nackSeqs);
    if (n < 0) {
      counters.malformedPackets.increment();
      return;
    }
    Peer presenter = peers.presenter;
    OutboundStream out = viewer.videoOut;
    if (out == null || viewer.retransmitter == null || RtcpHeader.mediaSsrc(buf, pos) != out.ssrc()
        || presenter == null || presenter.video == null) {
      return;
    }
    PacketCache cache = presenter.video.cache(presenter.video.layerOf(out.sourceSsrc()));
    if (cache == null) {
      return;
    }
    counters.nacksFromViewers.add(n);
    resendView.viewer = viewer;
    resendView.presenter = presenter;
    for (int i = 0; i < n; i++) {
      int len = viewer.retransmitter.resend(nackSeqs[i], cache, resendView, forwarder.scratch(), nowMs, 0);
      if (len == Retransmitter.MISS) {
        counters.retransmissionMisses.increment();
      }
      if (len > 0 && forwarder.sendToViewer(viewer, len, out.transportSequenceId())) {
        counters.packetsRetransmitted.increment();
      }
    }
  }

  /** A viewer's stream as a retransmission sees it: the normal rewrite, plus VP8 picture ids when VP8. */
  private static final class ResendView implements Retransmitter.ViewerStream {
    Peer viewer;
    Peer presenter;

    @Override
    public long sourceSsrc() {
      return viewer.videoOut.sourceSsrc();
    }

    @Override
    public int sourceSequence(int viewerSeq) {
      return viewer.videoOut.sourceSequence(viewerSeq);
    }

    @Override
    public boolean accepts(int sourcePayloadType) {
      return viewer.videoOut.accepts(sourcePayloadType);
    }

    @Override
    public int copyOut(byte[] src, int len, byte[] dst, boolean keyframeStart) {
      int n = viewer.videoOut.copyOut(src, len, dst, keyframeStart);
      if (n > 0 && !presenter.h264ByPayloadType[RtpHeader.payloadType(src, 0)]) {
        viewer.vp8.rewriteIds(dst, 0, n);
      }
      return n;
    }
  }}
