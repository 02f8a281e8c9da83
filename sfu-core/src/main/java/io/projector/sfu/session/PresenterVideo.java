package io.projector.sfu.session;

import io.projector.sfu.forward.KeyframeRequester;
import io.projector.sfu.forward.LayerDemand;
import io.projector.sfu.forward.NackGenerator;
import io.projector.sfu.forward.PacketCache;
import io.projector.sfu.forward.SimulcastLayers;
import java.util.Arrays;
import java.util.List;

/**
 * The presenter's video as the forwarder sees it: one layer, or several simulcast layers (RFC 8853 rids, lowest
 * first). Per layer: its SSRC, the packet cache every viewer's retransmissions read from, the upstream loss
 * tracker, and the merged keyframe requests. Owned by the session's worker thread.
 */
final class PresenterVideo {
  /** A time long enough ago that any age computed from it is huge, without overflowing. */
  private static final long NEVER_MS = Long.MIN_VALUE / 2;
  final SimulcastLayers simulcast;
  /** Which layers the presenter is advised to send; null without a pausable (middle) layer. */
  final LayerDemand demand;
  private final long[] ssrcs;
  private final PacketCache[] caches;
  private final NackGenerator[] nacks;
  private final KeyframeRequester[] keyframes;
  /** Per layer: first sequence number of the latest keyframe, when it started, and the latest sequence number. */
  private final int[] keyframeSeq;
  private final long[] keyframeMs;
  private final int[] lastSeq;
  private final boolean[] seqKnown;
  /** Per layer: the latest keyframe's RTP timestamp, and whether all of it has arrived (its last packet). */
  private final long[] keyframeTs;
  private final boolean[] keyframeComplete;
  /** Per layer: the latest keyframe known complete (the latest one, or the one before while that is paced out). */
  private final int[] completeKeyframeSeq;
  private final long[] completeKeyframeMs;
  private final long keyframeMinIntervalMs;

  PresenterVideo(List<String> ridsLowestFirst, int ridExtId, int repairedRidExtId, long keyframeMinIntervalMs) {
    this.simulcast = ridsLowestFirst.isEmpty() ? null
        : new SimulcastLayers(ridsLowestFirst, ridExtId, repairedRidExtId);
    int layers = simulcast == null ? 1 : simulcast.layerCount();
    this.demand = layers >= 3 ? new LayerDemand(layers) : null;
    this.ssrcs = new long[layers];
    Arrays.fill(ssrcs, -1);
    this.caches = new PacketCache[layers];
    this.nacks = new NackGenerator[layers];
    this.keyframes = new KeyframeRequester[layers];
    this.keyframeMinIntervalMs = keyframeMinIntervalMs;
    this.keyframeSeq = new int[layers];
    this.keyframeMs = new long[layers];
    this.lastSeq = new int[layers];
    this.keyframeTs = new long[layers];
    this.keyframeComplete = new boolean[layers];
    this.completeKeyframeSeq = new int[layers];
    this.completeKeyframeMs = new long[layers];
    Arrays.fill(completeKeyframeMs, NEVER_MS);
    this.seqKnown = new boolean[layers];
    Arrays.fill(keyframeMs, NEVER_MS);
    for (int i = 0; i < layers; i++) {
      keyframes[i] = new KeyframeRequester(keyframeMinIntervalMs);
    }
  }

  int layerCount() {
    return ssrcs.length;
  }

  /** Records a media packet and returns its layer (-1: unknown SSRC of a simulcast stream). */
  int onMedia(byte[] buf, int len, boolean vp8, int temporalId, boolean keyframeStart, long ssrc, long nowMs) {
    int layer;
    if (simulcast == null) {
      layer = 0;
    } else {
      layer = vp8 ? simulcast.onVp8Packet(buf, 0, len, nowMs)
          : simulcast.onPacket(buf, 0, len, temporalId, keyframeStart, nowMs);
      if (layer < 0) {
        return -1;
      }
    }
    if (ssrcs[layer] != ssrc) { // first packet, a presenter reconnect, or a layer moved to a new SSRC
      ssrcs[layer] = ssrc;
      if (caches[layer] == null) {
        caches[layer] = new PacketCache();
      }
      caches[layer].clear();
      nacks[layer] = new NackGenerator();
      keyframeMs[layer] = NEVER_MS;
      completeKeyframeMs[layer] = NEVER_MS;
      keyframeComplete[layer] = false;
      seqKnown[layer] = false;
    }
    return layer;
  }

  /** The layer an RTX packet repairs (learning its SSRC from the repaired-rid extension), or -1. */
  int rtxLayer(byte[] buf, int len, long rtxSsrc, long nowMs) {
    if (simulcast == null) {
      return ssrcs[0] >= 0 ? 0 : -1;
    }
    simulcast.onPacket(buf, 0, len, -1, false, nowMs); // learns the RTX SSRC's layer
    return simulcast.rtxLayerOf(rtxSsrc);
  }

  int layerOf(long ssrc) {
    for (int i = 0; i < ssrcs.length; i++) {
      if (ssrcs[i] == ssrc) {
        return i;
      }
    }
    return -1;
  }

  long ssrc(int layer) {
    return layer >= 0 && layer < ssrcs.length ? ssrcs[layer] : -1;
  }

  /** The highest layer that has an SSRC (the one a viewer without a preference starts on). */
  int topKnownLayer() {
    for (int i = ssrcs.length - 1; i >= 0; i--) {
      if (ssrcs[i] >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The highest layer sending now (the one a viewer without limits starts on), else the top known one. */
  int topActiveLayer(long nowMs) {
    if (simulcast != null) {
      for (int i = ssrcs.length - 1; i >= 0; i--) {
        if (ssrcs[i] >= 0 && simulcast.isActive(i, nowMs)) {
          return i;
        }
      }
    }
    return topKnownLayer();
  }

  PacketCache cache(int layer) {
    return layer >= 0 && layer < caches.length ? caches[layer] : null;
  }

  NackGenerator nacks(int layer) {
    return nacks[layer];
  }

  KeyframeRequester keyframes(int layer) {
    return keyframes[layer];
  }

  /** Notes the newest sequence number of a layer (for catching a joining viewer up from the cache). */
  void onSequence(int layer, int seq) {
    if (!seqKnown[layer] || ((seq - lastSeq[layer]) & 0xffff) < 0x8000) {
      lastSeq[layer] = seq;
      seqKnown[layer] = true;
    }
  }

  int lastSeq(int layer) {
    return lastSeq[layer];
  }

  int keyframeSeq(int layer) {
    return keyframeSeq[layer];
  }

  long keyframeAgeMs(int layer, long nowMs) {
    return nowMs - keyframeMs[layer];
  }

  /** A keyframe started on this layer (RTP timestamp {@code ts}): outstanding requests for it are served. */
  void onKeyframe(int layer, int seq, long ts, long nowMs) {
    keyframeSeq[layer] = seq;
    keyframeMs[layer] = nowMs;
    keyframeTs[layer] = ts;
    keyframeComplete[layer] = false;
    keyframes[layer].onKeyframe(nowMs);
    if (nacks[layer] != null) {
      nacks[layer].onKeyframe(seq);
    }
  }

  /**
   * Notes a media packet of a layer (after {@link #onKeyframe} for a keyframe's first one): the latest keyframe is
   * complete once its last packet (marker bit) or a packet of a later frame has arrived. A large keyframe is paced
   * out by the presenter's browser over a few hundred milliseconds.
   */
  void onFramePacket(int layer, long ts, boolean marker) {
    if (keyframeComplete[layer] || keyframeMs[layer] == NEVER_MS) {
      return;
    }
    int newer = (int) ((ts - keyframeTs[layer]) & 0xffffffffL);
    if ((ts == keyframeTs[layer] && marker) || (newer > 0 && newer < 0x40000000)) {
      keyframeComplete[layer] = true;
      completeKeyframeSeq[layer] = keyframeSeq[layer];
      completeKeyframeMs[layer] = keyframeMs[layer];
    }
  }

  boolean keyframeComplete(int layer) {
    return keyframeComplete[layer];
  }

  int completeKeyframeSeq(int layer) {
    return completeKeyframeSeq[layer];
  }

  long completeKeyframeAgeMs(int layer, long nowMs) {
    return nowMs - completeKeyframeMs[layer];
  }

  long keyframeMinIntervalMs() {
    return keyframeMinIntervalMs;
  }
}
