package io.projector.sfu.forward;

import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Vp8Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The presenter's simulcast layers (RFC 8853): which SSRC carries which rid, how many bits per second each
 * layer (and each temporal layer within it) brings in, whether it is still sent, its last keyframe and its
 * resolution. Index 0 is the lowest layer: the rids are given lowest resolution first, as the presenter page
 * declares them (q, h, f), which is also the order of the a=rid lines in its offer.
 *
 * <p>Chrome announces no SSRCs for simulcast: it tags each layer's packets with the rtp-stream-id extension
 * (repaired-rtp-stream-id for RTX) until it sees an RTCP report for that SSRC, so the mapping is learned from the
 * first packets and kept. A rid seen on a new SSRC moves the layer there (the presenter restarted its encoder).
 *
 * <p>Rates are measured over a sliding window of {@value LayerBitrates#WINDOW_MS} ms ({@link LayerBitrates}).
 * Recording a packet allocates nothing. Owned by the session's worker thread.
 */
public final class SimulcastLayers {
  public static final long NEVER = Long.MIN_VALUE;
  /**
   * A layer that sent nothing for this long is treated as stopped. Longer than the ~500 ms one might expect:
   * Chrome sends an unchanging screen at about one frame per second, and such a layer is not stopped.
   */
  public static final long DEFAULT_ACTIVE_TIMEOUT_MS = 1500;
  static final int MAX_SSRCS = 16;

  private static final int TIDS = Vp8Descriptor.MAX_TEMPORAL_ID + 1;

  private final String[] rids;
  private final byte[][] ridBytes;
  private final int ridExtensionId;
  private final int repairedRidExtensionId;
  private final long activeTimeoutMs;

  /** Learned SSRCs: media of a layer, or RTX repairing a layer. Linear scan: a handful of entries. */
  private final long[] tableSsrc = new long[MAX_SSRCS];
  private final int[] tableLayer = new int[MAX_SSRCS];
  private final boolean[] tableRtx = new boolean[MAX_SSRCS];
  private int tableSize;

  private final long[] ssrc;
  private final long[] rtxSsrc;
  private final long[] lastPacketMs;
  private final long[] lastKeyframeMs;
  private final int[] widthPx;
  private final int[] heightPx;
  private final int[] maxTemporalIdSeen;
  private final LayerBitrates rates;
  private long unknownPackets;

  /**
   * @param ridsLowestFirst         the presenter's rids, lowest resolution first (e.g. q, h, f)
   * @param ridExtensionId          negotiated id of urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id, -1 if none
   * @param repairedRidExtensionId  id of ...:repaired-rtp-stream-id, -1 if none
   */
  public SimulcastLayers(List<String> ridsLowestFirst, int ridExtensionId, int repairedRidExtensionId) {
    this(ridsLowestFirst, ridExtensionId, repairedRidExtensionId, DEFAULT_ACTIVE_TIMEOUT_MS);
  }

  public SimulcastLayers(List<String> ridsLowestFirst, int ridExtensionId, int repairedRidExtensionId,
      long activeTimeoutMs) {
    int n = ridsLowestFirst.size();
    if (n == 0 || n > MAX_SSRCS / 2) {
      throw new IllegalArgumentException("1.." + MAX_SSRCS / 2 + " rids expected: " + ridsLowestFirst);
    }
    rids = ridsLowestFirst.toArray(new String[0]);
    ridBytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      ridBytes[i] = rids[i].getBytes(StandardCharsets.US_ASCII);
    }
    this.ridExtensionId = ridExtensionId;
    this.repairedRidExtensionId = repairedRidExtensionId;
    this.activeTimeoutMs = activeTimeoutMs;
    ssrc = filled(n, -1);
    rtxSsrc = filled(n, -1);
    lastPacketMs = filled(n, NEVER);
    lastKeyframeMs = filled(n, NEVER);
    widthPx = unknown(n);
    heightPx = unknown(n);
    maxTemporalIdSeen = unknown(n);
    rates = new LayerBitrates(n);
  }

  private static long[] filled(int n, long value) {
    long[] a = new long[n];
    Arrays.fill(a, value);
    return a;
  }

  private static int[] unknown(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  /**
   * Records a VP8 packet (valid RTP): reads TID, keyframe start and keyframe resolution from its descriptor.
   *
   * @return the packet's layer, or -1 for RTX and SSRCs with no known rid (counted in {@link #unknownPackets})
   */
  public int onVp8Packet(byte[] buf, int off, int len, long nowMs) {
    int p = off + RtpHeader.headerLength(buf, off, len);
    int n = RtpHeader.payloadLength(buf, off, len);
    boolean keyframe = Vp8Descriptor.isKeyframe(buf, p, n);
    int layer = onPacket(buf, off, len, Vp8Descriptor.temporalLayerId(buf, p, n), keyframe, nowMs);
    if (layer >= 0 && keyframe) {
      int w = Vp8Descriptor.keyframeWidth(buf, p, n);
      int h = Vp8Descriptor.keyframeHeight(buf, p, n);
      if (w > 0 && h > 0) {
        widthPx[layer] = w;
        heightPx[layer] = h;
      }
    }
    return layer;
  }

  /**
   * Records a packet of any codec (valid RTP).
   *
   * @param temporalId  the packet's TID, or -1 when the stream has no temporal layers (counted as TID 0)
   * @return the packet's layer, or -1 for RTX and SSRCs with no known rid
   */
  public int onPacket(byte[] buf, int off, int len, int temporalId, boolean keyframeStart, long nowMs) {
    int layer = learn(buf, off, len);
    if (layer < 0) {
      return -1;
    }
    lastPacketMs[layer] = nowMs;
    if (keyframeStart) {
      lastKeyframeMs[layer] = nowMs;
    }
    if (temporalId > maxTemporalIdSeen[layer]) {
      maxTemporalIdSeen[layer] = Math.min(temporalId, TIDS - 1);
    }
    rates.add(layer, temporalId, len, nowMs);
    return layer;
  }

  /** Looks the SSRC up, learning it from the rid / repaired-rid extension on first sight. */
  private int learn(byte[] buf, int off, int len) {
    long s = RtpHeader.ssrc(buf, off);
    int known = indexOf(s);
    if (known >= 0) {
      return tableRtx[known] ? -1 : tableLayer[known];
    }
    int layer = ridLayer(buf, off, len, ridExtensionId);
    boolean rtx = false;
    if (layer < 0) {
      layer = ridLayer(buf, off, len, repairedRidExtensionId);
      rtx = true;
    }
    if (layer < 0) {
      unknownPackets++;
      return -1;
    }
    forget(rtx ? rtxSsrc[layer] : ssrc[layer]);
    if (tableSize == MAX_SSRCS) {
      unknownPackets++; // cannot happen with at most one media and one RTX SSRC per layer
      return -1;
    }
    tableSsrc[tableSize] = s;
    tableLayer[tableSize] = layer;
    tableRtx[tableSize] = rtx;
    tableSize++;
    if (rtx) {
      rtxSsrc[layer] = s;
      return -1;
    }
    if (ssrc[layer] != -1) {
      resetLayer(layer); // the old SSRC's history says nothing about the new encoder
    }
    ssrc[layer] = s;
    return layer;
  }

  private int indexOf(long s) {
    for (int i = 0; i < tableSize; i++) {
      if (tableSsrc[i] == s) {
        return i;
      }
    }
    return -1;
  }

  private void forget(long s) {
    int i = indexOf(s);
    if (i >= 0) {
      tableSize--;
      tableSsrc[i] = tableSsrc[tableSize];
      tableLayer[i] = tableLayer[tableSize];
      tableRtx[i] = tableRtx[tableSize];
    }
  }

  private void resetLayer(int layer) {
    lastPacketMs[layer] = NEVER;
    lastKeyframeMs[layer] = NEVER;
    maxTemporalIdSeen[layer] = -1;
    widthPx[layer] = -1;
    heightPx[layer] = -1;
    rates.reset(layer);
  }

  /** The layer whose rid the extension {@code id} names, or -1 (absent, or a rid not in the list). */
  private int ridLayer(byte[] buf, int off, int len, int id) {
    if (id < 1) {
      return -1;
    }
    long found = HeaderExtensionMap.find(buf, off, len, id);
    if (found < 0) {
      return -1;
    }
    int at = HeaderExtensionMap.dataOffset(found);
    int n = HeaderExtensionMap.dataLength(found);
    while (n > 0 && buf[at + n - 1] == 0) {
      n--; // tolerate zero padding after the rid
    }
    for (int layer = 0; layer < ridBytes.length; layer++) {
      if (Arrays.equals(ridBytes[layer], 0, ridBytes[layer].length, buf, at, at + n)) {
        return layer;
      }
    }
    return -1;
  }

  public int layerCount() {
    return rids.length;
  }

  public String rid(int layer) {
    return rids[layer];
  }

  /** The layer carried by this media SSRC, or -1. */
  public int layerOf(long mediaSsrc) {
    int i = indexOf(mediaSsrc);
    return i >= 0 && !tableRtx[i] ? tableLayer[i] : -1;
  }

  /** The layer this RTX SSRC repairs, or -1. */
  public int rtxLayerOf(long rtxSsrc) {
    int i = indexOf(rtxSsrc);
    return i >= 0 && tableRtx[i] ? tableLayer[i] : -1;
  }

  /** The media SSRC of a layer (where keyframe requests for it go), or -1 before its first packet. */
  public long ssrc(int layer) {
    return ssrc[layer];
  }

  public long rtxSsrc(int layer) {
    return rtxSsrc[layer];
  }

  /** Whether the layer sent a packet within the active timeout: the presenter may stop layers at any time. */
  public boolean isActive(int layer, long nowMs) {
    return lastPacketMs[layer] != NEVER && nowMs - lastPacketMs[layer] <= activeTimeoutMs;
  }

  /** When the layer's last keyframe started, or {@link #NEVER}. */
  public long lastKeyframeMs(int layer) {
    return lastKeyframeMs[layer];
  }

  /** Width from the layer's last VP8 keyframe, or -1 while unknown. */
  public int widthPx(int layer) {
    return widthPx[layer];
  }

  public int heightPx(int layer) {
    return heightPx[layer];
  }

  /** Highest TID seen on the layer, or -1 when it has no temporal layers. */
  public int maxTemporalId(int layer) {
    return maxTemporalIdSeen[layer];
  }

  /** Receive rate of the whole layer over the last {@value LayerBitrates#WINDOW_MS} ms, RTP headers included. */
  public long bitrateBps(int layer, long nowMs) {
    return bitrateBps(layer, TIDS - 1, nowMs);
  }

  /** Receive rate of the layer's temporal layers 0..maxTemporalId (what a viewer limited to them gets). */
  public long bitrateBps(int layer, int maxTemporalId, long nowMs) {
    return rates.bitrateBps(layer, maxTemporalId, nowMs);
  }

  /** Packets whose SSRC carried no known rid (counter, not an error: e.g. padding before the first rid). */
  public long unknownPackets() {
    return unknownPackets;
  }
}
