package io.projector.sfu.forward;

import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Vp8Descriptor;

/**
 * Makes one viewer's VP8 stream look like a single encoder's output while the SFU forwards different simulcast
 * layers (each its own SSRC, PictureID and TL0PICIDX sequence) and drops temporal layers.
 *
 * <ul>
 *   <li>Source switches happen only at a keyframe of the target SSRC; until then the current source keeps
 *       flowing. At the switch the PictureID continues at last sent + 1 (15-bit wrap) and TL0PICIDX at last
 *       sent + 1 (8-bit wrap): a receiver that saw a gap or jump would wait for "missing" frames.
 *   <li>Packets of the old source arriving after the switch, and packets of the new source older than the
 *       keyframe it was joined at, are dropped: the viewer's decoder cannot use them and their rewritten
 *       sequence numbers would collide with packets already sent.
 *   <li>Temporal layers above the requested TID are dropped. Going down happens at the next frame start; going
 *       up waits for a layer-sync frame (Y) or a keyframe, as a higher-TID frame before that references frames
 *       the viewer never received.
 * </ul>
 *
 * Two steps, because the source packet is shared by all viewers: {@link #admit} decides on the source packet
 * (read only) before {@link OutboundStream#copyOut}, which must see the same switch packet (a keyframe start)
 * and rebases sequence numbers and timestamps; {@link #rewriteIds} then writes this viewer's ids into its copy.
 * {@link #rewrite} does both on one buffer. Allocates nothing; owned by the session's worker thread.
 */
public final class Vp8Rewriter {
  /** Forwarded, rewritten in place. Results >= 0 mean "send". */
  public static final int FORWARDED = 0;
  /** Forwarded; this keyframe switched the viewer to the target source. */
  public static final int SWITCHED = 1;
  /** Dropped: from a source the viewer left, or from before the keyframe the current source was joined at. */
  public static final int DROPPED_STALE = -1;
  /** Dropped: not the forwarded source, and the target source has not reached a keyframe yet. */
  public static final int DROPPED_OTHER_SOURCE = -2;
  /** Dropped: temporal layer above what the viewer gets. */
  public static final int DROPPED_TEMPORAL = -3;
  /** Dropped: no valid VP8 payload descriptor. */
  public static final int DROPPED_MALFORMED = -4;

  private static final int PICTURE_ID_MASK = 0x7fff;
  private static final int NONE = -1;
  /** After this many packets past the switch keyframe, reordering back across it is no longer plausible. */
  private static final int SWITCH_GUARD_PACKETS = 0x1000;

  private long sourceSsrc = NONE;
  private long previousSourceSsrc = NONE;
  private int switchSeq;
  private boolean switchGuard;
  private int pictureIdOffset;
  private int tl0Offset;
  private int lastPictureId = NONE;
  private int lastTl0 = NONE;
  private int forwardedMaxTid = Vp8Descriptor.MAX_TEMPORAL_ID;

  private long switches;
  private long droppedStale;
  private long droppedTemporal;

  /** {@link #admit} then, when forwarded, {@link #rewriteIds} in place. */
  public int rewrite(byte[] buf, int off, int len, long targetSsrc, int maxTemporalId) {
    int result = admit(buf, off, len, targetSsrc, maxTemporalId);
    if (result >= 0) {
      rewriteIds(buf, off, len);
    }
    return result;
  }

  /**
   * Decides whether this VP8 packet from the presenter goes to the viewer, switching source at the target's
   * keyframe. Reads the packet only. The packet must be valid RTP ({@link RtpHeader#isValid}).
   *
   * @param targetSsrc     the SSRC of the layer the viewer should get (may equal the current source)
   * @param maxTemporalId  highest TID to forward; {@link Vp8Descriptor#MAX_TEMPORAL_ID} for all
   * @return {@link #FORWARDED} or {@link #SWITCHED} to send (then call {@link #rewriteIds} on the copy sent),
   *     a negative DROPPED_* code otherwise
   */
  public int admit(byte[] buf, int off, int len, long targetSsrc, int maxTemporalId) {
    int p = off + RtpHeader.headerLength(buf, off, len);
    int n = RtpHeader.payloadLength(buf, off, len);
    if (Vp8Descriptor.length(buf, p, n) < 0) {
      return DROPPED_MALFORMED;
    }
    long ssrc = RtpHeader.ssrc(buf, off);
    int seq = RtpHeader.sequenceNumber(buf, off);
    boolean keyframe = Vp8Descriptor.isKeyframe(buf, p, n);
    int result = FORWARDED;
    if (ssrc != sourceSsrc) {
      if (ssrc != targetSsrc || !keyframe) {
        if (ssrc == previousSourceSsrc) {
          droppedStale++;
          return DROPPED_STALE;
        }
        return DROPPED_OTHER_SOURCE;
      }
      switchTo(ssrc, seq, buf, p, n);
      result = SWITCHED;
    } else if (switchGuard && isBeforeSwitch(seq)) {
      droppedStale++;
      return DROPPED_STALE;
    }
    if (!passesTemporalFilter(buf, p, n, maxTemporalId, keyframe)) {
      droppedTemporal++;
      return DROPPED_TEMPORAL;
    }
    return result;
  }

  private void switchTo(long ssrc, int seq, byte[] buf, int p, int n) {
    int pictureId = Vp8Descriptor.pictureId(buf, p, n);
    int tl0 = Vp8Descriptor.tl0PicIdx(buf, p, n);
    // Nothing sent yet (or the field was absent so far): pass the source's numbering through unchanged.
    pictureIdOffset = lastPictureId == NONE || pictureId < 0 ? 0 : (lastPictureId + 1 - pictureId) & PICTURE_ID_MASK;
    tl0Offset = lastTl0 == NONE || tl0 < 0 ? 0 : (lastTl0 + 1 - tl0) & 0xff;
    if (sourceSsrc != NONE) {
      previousSourceSsrc = sourceSsrc;
      switches++;
    }
    sourceSsrc = ssrc;
    switchSeq = seq;
    switchGuard = true;
  }

  /** Serial-number comparison against the switch keyframe; stops once the stream is well past it. */
  private boolean isBeforeSwitch(int seq) {
    int ahead = (seq - switchSeq) & 0xffff;
    if (ahead >= 0x8000) {
      return true;
    }
    if (ahead > SWITCH_GUARD_PACKETS) {
      switchGuard = false;
    }
    return false;
  }

  private boolean passesTemporalFilter(byte[] buf, int p, int n, int maxTemporalId, boolean keyframe) {
    int tid = Vp8Descriptor.temporalLayerId(buf, p, n);
    if (tid < 0) {
      return true; // no temporal layers: every frame is needed
    }
    // Only change at frame starts: all packets of a frame share its TID, so frames are never cut in half.
    if (keyframe) {
      forwardedMaxTid = maxTemporalId; // a keyframe resets all references: every layer may start here
    } else if (Vp8Descriptor.isStartOfFrame(buf, p, n)) {
      if (maxTemporalId < forwardedMaxTid) {
        forwardedMaxTid = maxTemporalId;
      } else if (maxTemporalId > forwardedMaxTid && tid > forwardedMaxTid && tid <= maxTemporalId
          && Vp8Descriptor.isLayerSync(buf, p, n)) {
        forwardedMaxTid = tid;
      }
    }
    return tid <= forwardedMaxTid;
  }

  /**
   * Writes the viewer's PictureID and TL0PICIDX into a packet {@link #admit} forwarded: the viewer's copy (its
   * header may differ from the source's, so the descriptor is found afresh) or the source itself.
   */
  public void rewriteIds(byte[] buf, int off, int len) {
    int header = RtpHeader.headerLength(buf, off, len);
    if (header < 0) {
      return;
    }
    int p = off + header;
    int n = RtpHeader.payloadLength(buf, off, len);
    int pictureId = Vp8Descriptor.pictureId(buf, p, n);
    if (pictureId >= 0) {
      int bits = Vp8Descriptor.pictureIdBits(buf, p, n);
      int mask = bits == 15 ? PICTURE_ID_MASK : 0x7f;
      int out = (pictureId + pictureIdOffset) & mask;
      Vp8Descriptor.setPictureId(buf, p, n, out);
      if (lastPictureId == NONE || isNewer(out, lastPictureId & mask, mask)) {
        lastPictureId = out;
      }
    }
    int tl0 = Vp8Descriptor.tl0PicIdx(buf, p, n);
    if (tl0 >= 0) {
      int out = (tl0 + tl0Offset) & 0xff;
      Vp8Descriptor.setTl0PicIdx(buf, p, n, out);
      if (lastTl0 == NONE || isNewer(out, lastTl0, 0xff)) {
        lastTl0 = out;
      }
    }
  }

  /** Wrap-around comparison in a 2^k space given by mask: newer means up to half the space ahead. */
  private static boolean isNewer(int a, int b, int mask) {
    int ahead = (a - b) & mask;
    return ahead != 0 && ahead <= (mask >> 1);
  }

  /** The SSRC currently forwarded, or -1 before the first keyframe. */
  public long sourceSsrc() {
    return sourceSsrc;
  }

  /** Whether the viewer still waits for a keyframe of {@code targetSsrc} (the forwarder should request one). */
  public boolean awaitingKeyframe(long targetSsrc) {
    return sourceSsrc != targetSsrc;
  }

  /** Highest TID currently forwarded (may lag the requested one until a layer-sync frame). */
  public int forwardedMaxTemporalId() {
    return forwardedMaxTid;
  }

  /** Last PictureID sent (as written), or -1. */
  public int lastPictureId() {
    return lastPictureId;
  }

  /** Last TL0PICIDX sent, or -1. */
  public int lastTl0PicIdx() {
    return lastTl0;
  }

  public long switches() {
    return switches;
  }

  public long droppedStale() {
    return droppedStale;
  }

  public long droppedTemporal() {
    return droppedTemporal;
  }
}
