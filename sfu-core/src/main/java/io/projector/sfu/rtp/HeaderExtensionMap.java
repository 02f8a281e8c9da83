package io.projector.sfu.rtp;

/**
 * Rewrites RTP header-extension ids in place (RFC 8285), from the ids the sender negotiated to the ids a
 * receiver negotiated for the same URIs. An element the receiver did not negotiate is blanked to padding
 * bytes (value 0), which receivers skip: the packet keeps its length, so no copy or shift is needed.
 *
 * <p>One instance per (source stream, viewer) pair, built once at negotiation; {@link #rewrite} allocates
 * nothing.
 */
public final class HeaderExtensionMap {
  private static final int ONE_BYTE_PROFILE = 0xBEDE;
  private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
  private static final int TWO_BYTE_PROFILE = 0x1000;

  /** to[id] = id to write instead, 0 = blank the element. */
  private final byte[] to = new byte[256];

  /** Maps sender id {@code from} to receiver id {@code toId} (1..255). Unmapped ids are blanked. */
  public HeaderExtensionMap map(int from, int toId) {
    if (from < 1 || from > 255 || toId < 1 || toId > 255) {
      throw new IllegalArgumentException("extension ids are 1..255: " + from + " -> " + toId);
    }
    to[from] = (byte) toId;
    return this;
  }

  public int mapped(int from) {
    return to[from & 0xff] & 0xff;
  }

  /**
   * Rewrites the header extension of a valid RTP packet.
   *
   * @return false if the extension block is malformed (the packet should then be dropped)
   */
  public boolean rewrite(byte[] buf, int off, int len) {
    if (!RtpHeader.hasExtension(buf, off)) {
      return true;
    }
    int ext = off + RtpHeader.extensionOffset(buf, off);
    if (ext + 4 > off + len) {
      return false;
    }
    int profile = Bytes.readUint16(buf, ext);
    int end = ext + 4 + 4 * Bytes.readUint16(buf, ext + 2);
    if (end > off + len) {
      return false;
    }
    if (profile == ONE_BYTE_PROFILE) {
      return rewriteOneByte(buf, ext + 4, end);
    }
    if ((profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE) {
      return rewriteTwoByte(buf, ext + 4, end);
    }
    return true; // some other profile: leave it alone
  }

  private boolean rewriteOneByte(byte[] buf, int pos, int end) {
    while (pos < end) {
      int b = buf[pos] & 0xff;
      if (b == 0) {
        pos++;
        continue;
      }
      int id = b >> 4;
      if (id == 15) {
        return true; // reserved id: stop parsing, per RFC 8285 §4.2
      }
      int elementLength = 1 + (b & 0x0f) + 1;
      if (pos + elementLength > end) {
        return false;
      }
      int newId = to[id] & 0xff;
      if (newId == 0 || newId > 14) {
        java.util.Arrays.fill(buf, pos, pos + elementLength, (byte) 0);
      } else {
        buf[pos] = (byte) ((newId << 4) | (b & 0x0f));
      }
      pos += elementLength;
    }
    return true;
  }

  private boolean rewriteTwoByte(byte[] buf, int pos, int end) {
    while (pos < end) {
      int id = buf[pos] & 0xff;
      if (id == 0) {
        pos++;
        continue;
      }
      if (pos + 2 > end) {
        return false;
      }
      int elementLength = 2 + (buf[pos + 1] & 0xff);
      if (pos + elementLength > end) {
        return false;
      }
      int newId = to[id] & 0xff;
      if (newId == 0) {
        java.util.Arrays.fill(buf, pos, pos + elementLength, (byte) 0);
      } else {
        buf[pos] = (byte) newId;
      }
      pos += elementLength;
    }
    return true;
  }

  /**
   * Finds extension element {@code id} in a valid RTP packet.
   *
   * @return (offset of the element's data relative to the array) shifted left 16 bits OR its data length,
   *     or -1 when absent; use {@link #dataOffset} and {@link #dataLength} to unpack without allocating
   */
  public static long find(byte[] buf, int off, int len, int id) {
    if (!RtpHeader.hasExtension(buf, off)) {
      return -1;
    }
    int ext = off + RtpHeader.extensionOffset(buf, off);
    if (ext + 4 > off + len) {
      return -1;
    }
    int profile = Bytes.readUint16(buf, ext);
    int end = Math.min(off + len, ext + 4 + 4 * Bytes.readUint16(buf, ext + 2));
    int pos = ext + 4;
    boolean oneByte = profile == ONE_BYTE_PROFILE;
    if (!oneByte && (profile & TWO_BYTE_PROFILE_MASK) != TWO_BYTE_PROFILE) {
      return -1;
    }
    while (pos < end) {
      int b = buf[pos] & 0xff;
      if (b == 0) {
        pos++;
        continue;
      }
      int elementId;
      int dataLength;
      int headerBytes;
      if (oneByte) {
        elementId = b >> 4;
        if (elementId == 15) {
          return -1;
        }
        dataLength = (b & 0x0f) + 1;
        headerBytes = 1;
      } else {
        if (pos + 1 >= end) {
          return -1;
        }
        elementId = b;
        dataLength = buf[pos + 1] & 0xff;
        headerBytes = 2;
      }
      if (pos + headerBytes + dataLength > end) {
        return -1;
      }
      if (elementId == id) {
        return ((long) (pos + headerBytes) << 16) | dataLength;
      }
      pos += headerBytes + dataLength;
    }
    return -1;
  }

  public static int dataOffset(long found) {
    return (int) (found >>> 16);
  }

  public static int dataLength(long found) {
    return (int) (found & 0xffff);
  }
}
