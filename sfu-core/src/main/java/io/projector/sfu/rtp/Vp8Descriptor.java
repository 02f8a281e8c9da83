package io.projector.sfu.rtp;

/**
 * Static accessors for the VP8 payload descriptor (RFC 7741 §4.2) at the start of an RTP payload. All methods
 * take the payload view ({@code off} = first payload byte, {@code len} = payload length without padding), read
 * or write in place, never allocate, and answer -1 / false for anything truncated or absent, because the bytes
 * come straight off the network.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL, 7 bits, or 15 bits when M is set)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   |
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Vp8Descriptor {
  /** Highest temporal layer id the 2-bit TID field can carry. */
  public static final int MAX_TEMPORAL_ID = 3;

  private static final int X = 0x80;
  private static final int N = 0x20;
  private static final int S = 0x10;
  private static final int I = 0x80;
  private static final int L = 0x40;
  private static final int T = 0x20;
  private static final int K = 0x10;

  private Vp8Descriptor() {}

  public static boolean hasExtension(byte[] buf, int off, int len) {
    return len >= 1 && (buf[off] & X) != 0;
  }

  /** N: the frame is not a reference for others, so dropping it harms no later frame. */
  public static boolean isNonReference(byte[] buf, int off, int len) {
    return len >= 1 && (buf[off] & N) != 0;
  }

  public static boolean isStartOfPartition(byte[] buf, int off, int len) {
    return len >= 1 && (buf[off] & S) != 0;
  }

  /** PID, the partition index (0..7), or -1 for an empty payload. */
  public static int partitionIndex(byte[] buf, int off, int len) {
    return len >= 1 ? buf[off] & 0x07 : -1;
  }

  /** The first packet of a frame: start of partition 0. */
  public static boolean isStartOfFrame(byte[] buf, int off, int len) {
    return len >= 1 && (buf[off] & S) != 0 && (buf[off] & 0x07) == 0;
  }

  /**
   * Length of the descriptor in bytes (1 to 6), or -1 when it does not fit in len. Any packet whose accessors
   * are used must pass this check first, which the accessors do themselves.
   */
  public static int length(byte[] buf, int off, int len) {
    if (len < 1) {
      return -1;
    }
    if ((buf[off] & X) == 0) {
      return 1;
    }
    if (len < 2) {
      return -1;
    }
    int x = buf[off + 1] & 0xff;
    int n = 2;
    if ((x & I) != 0) {
      if (n >= len) {
        return -1;
      }
      n += (buf[off + n] & 0x80) != 0 ? 2 : 1;
    }
    if ((x & L) != 0) {
      n++;
    }
    if ((x & (T | K)) != 0) {
      n++;
    }
    return n <= len ? n : -1;
  }

  /** Offset of the PictureID field, or -1 when absent or truncated. */
  private static int pictureIdOffset(byte[] buf, int off, int len) {
    if (length(buf, off, len) < 0 || (buf[off] & X) == 0 || (buf[off + 1] & I) == 0) {
      return -1;
    }
    return off + 2;
  }

  /** Offset of the TL0PICIDX field, or -1 when absent or truncated. */
  private static int tl0PicIdxOffset(byte[] buf, int off, int len) {
    if (length(buf, off, len) < 0 || (buf[off] & X) == 0 || (buf[off + 1] & L) == 0) {
      return -1;
    }
    return off + 2 + pictureIdWidthBytes(buf, off);
  }

  /** Offset of the TID/Y/KEYIDX byte, or -1 when neither T nor K is set or it is truncated. */
  private static int tidKeyIdxOffset(byte[] buf, int off, int len) {
    if (length(buf, off, len) < 0 || (buf[off] & X) == 0 || (buf[off + 1] & (T | K)) == 0) {
      return -1;
    }
    return off + 2 + pictureIdWidthBytes(buf, off) + ((buf[off + 1] & L) != 0 ? 1 : 0);
  }

  /** Bytes the PictureID takes (0, 1 or 2). Assumes the X byte is present. */
  private static int pictureIdWidthBytes(byte[] buf, int off) {
    if ((buf[off + 1] & I) == 0) {
      return 0;
    }
    return (buf[off + 2] & 0x80) != 0 ? 2 : 1;
  }

  /** 7 or 15 (the PictureID's width in bits), or -1 when there is none. */
  public static int pictureIdBits(byte[] buf, int off, int len) {
    int p = pictureIdOffset(buf, off, len);
    if (p < 0) {
      return -1;
    }
    return (buf[p] & 0x80) != 0 ? 15 : 7;
  }

  /** The PictureID (0..127 or 0..32767), or -1 when absent. */
  public static int pictureId(byte[] buf, int off, int len) {
    int p = pictureIdOffset(buf, off, len);
    if (p < 0) {
      return -1;
    }
    int b = buf[p] & 0xff;
    return (b & 0x80) != 0 ? ((b & 0x7f) << 8) | (buf[p + 1] & 0xff) : b;
  }

  /**
   * Overwrites the PictureID, keeping the packet's width: the descriptor cannot grow in place, so a 7-bit field
   * receives only the low 7 bits of {@code pictureId}.
   *
   * @return false when the packet has no PictureID
   */
  public static boolean setPictureId(byte[] buf, int off, int len, int pictureId) {
    int p = pictureIdOffset(buf, off, len);
    if (p < 0) {
      return false;
    }
    if ((buf[p] & 0x80) != 0) {
      buf[p] = (byte) (0x80 | ((pictureId >> 8) & 0x7f));
      buf[p + 1] = (byte) pictureId;
    } else {
      buf[p] = (byte) (pictureId & 0x7f);
    }
    return true;
  }

  /** TL0PICIDX (0..255), or -1 when absent. */
  public static int tl0PicIdx(byte[] buf, int off, int len) {
    int p = tl0PicIdxOffset(buf, off, len);
    return p < 0 ? -1 : buf[p] & 0xff;
  }

  /** @return false when the packet has no TL0PICIDX */
  public static boolean setTl0PicIdx(byte[] buf, int off, int len, int tl0PicIdx) {
    int p = tl0PicIdxOffset(buf, off, len);
    if (p < 0) {
      return false;
    }
    buf[p] = (byte) tl0PicIdx;
    return true;
  }

  /** TID (0..3), or -1 when T is clear (the field may exist for KEYIDX alone, but then means nothing). */
  public static int temporalLayerId(byte[] buf, int off, int len) {
    int p = tidKeyIdxOffset(buf, off, len);
    if (p < 0 || (buf[off + 1] & T) == 0) {
      return -1;
    }
    return (buf[p] & 0xc0) >> 6;
  }

  /** Y: this frame depends only on TL0 frames, so a receiver can start decoding its temporal layer here. */
  public static boolean isLayerSync(byte[] buf, int off, int len) {
    int p = tidKeyIdxOffset(buf, off, len);
    return p >= 0 && (buf[off + 1] & T) != 0 && (buf[p] & 0x20) != 0;
  }

  /** KEYIDX (0..31), or -1 when K is clear. */
  public static int keyIdx(byte[] buf, int off, int len) {
    int p = tidKeyIdxOffset(buf, off, len);
    if (p < 0 || (buf[off + 1] & K) == 0) {
      return -1;
    }
    return buf[p] & 0x1f;
  }

  /** Offset of the VP8 payload header (after the descriptor), or -1 when the packet has none. */
  private static int vp8HeaderOffset(byte[] buf, int off, int len) {
    int n = length(buf, off, len);
    return n < 0 || n >= len ? -1 : off + n;
  }

  /**
   * Whether this packet starts a keyframe: first packet of a frame, with the VP8 frame tag's inverse key-frame
   * bit (P) clear (RFC 7741 §4.3). Only the first packet of a frame carries the frame tag.
   */
  public static boolean isKeyframe(byte[] buf, int off, int len) {
    if (!isStartOfFrame(buf, off, len)) {
      return false;
    }
    int h = vp8HeaderOffset(buf, off, len);
    return h >= 0 && (buf[h] & 0x01) == 0;
  }

  /** Width in pixels from a keyframe's start (RFC 6386 §9.1), or -1 when the packet does not start one. */
  public static int keyframeWidth(byte[] buf, int off, int len) {
    int d = keyframeDimensionsOffset(buf, off, len);
    return d < 0 ? -1 : ((buf[d] & 0xff) | ((buf[d + 1] & 0xff) << 8)) & 0x3fff;
  }

  /** Height in pixels from a keyframe's start, or -1 when the packet does not start one. */
  public static int keyframeHeight(byte[] buf, int off, int len) {
    int d = keyframeDimensionsOffset(buf, off, len);
    return d < 0 ? -1 : ((buf[d + 2] & 0xff) | ((buf[d + 3] & 0xff) << 8)) & 0x3fff;
  }

  /** Keyframe: 3-byte frame tag, start code 9d 01 2a, then 16-bit little-endian width and height (2 scale bits). */
  private static int keyframeDimensionsOffset(byte[] buf, int off, int len) {
    if (!isKeyframe(buf, off, len)) {
      return -1;
    }
    int h = vp8HeaderOffset(buf, off, len);
    if (h + 10 > off + len
        || (buf[h + 3] & 0xff) != 0x9d || (buf[h + 4] & 0xff) != 0x01 || (buf[h + 5] & 0xff) != 0x2a) {
      return -1;
    }
    return h + 6;
  }
}
