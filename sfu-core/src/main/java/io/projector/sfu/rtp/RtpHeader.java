package io.projector.sfu.rtp;

/**
 * Static accessors for an RTP header in a byte array (RFC 3550 §5.1). No objects, no copies: the hot path
 * reads and rewrites fields in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  (if X)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtpHeader {
  public static final int FIXED_HEADER_LENGTH = 12;

  private RtpHeader() {}

  /** Whether the bytes hold a complete RTP header (version 2, CSRCs and extension within len, padding sane). */
  public static boolean isValid(byte[] buf, int off, int len) {
    if (len < FIXED_HEADER_LENGTH || (buf[off] & 0xc0) != 0x80) {
      return false;
    }
    int headerLength = headerLength(buf, off, len);
    if (headerLength < 0 || headerLength > len) {
      return false;
    }
    if (hasPadding(buf, off)) {
      int pad = buf[off + len - 1] & 0xff;
      return pad > 0 && headerLength + pad <= len;
    }
    return true;
  }

  public static boolean hasPadding(byte[] buf, int off) {
    return (buf[off] & 0x20) != 0;
  }

  public static boolean hasExtension(byte[] buf, int off) {
    return (buf[off] & 0x10) != 0;
  }

  public static int csrcCount(byte[] buf, int off) {
    return buf[off] & 0x0f;
  }

  public static boolean marker(byte[] buf, int off) {
    return (buf[off + 1] & 0x80) != 0;
  }

  public static int payloadType(byte[] buf, int off) {
    return buf[off + 1] & 0x7f;
  }

  public static void setPayloadType(byte[] buf, int off, int pt) {
    buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7f));
  }

  public static int sequenceNumber(byte[] buf, int off) {
    return ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
  }

  public static void setSequenceNumber(byte[] buf, int off, int seq) {
    buf[off + 2] = (byte) (seq >> 8);
    buf[off + 3] = (byte) seq;
  }

  public static long timestamp(byte[] buf, int off) {
    return Bytes.readUint32(buf, off + 4);
  }

  public static void setTimestamp(byte[] buf, int off, long ts) {
    Bytes.writeUint32(buf, off + 4, ts);
  }

  public static long ssrc(byte[] buf, int off) {
    return Bytes.readUint32(buf, off + 8);
  }

  public static void setSsrc(byte[] buf, int off, long ssrc) {
    Bytes.writeUint32(buf, off + 8, ssrc);
  }

  /** Offset (relative to off) of the header extension's 4-byte preamble, valid only if {@link #hasExtension}. */
  public static int extensionOffset(byte[] buf, int off) {
    return FIXED_HEADER_LENGTH + 4 * csrcCount(buf, off);
  }

  /** Total header length including CSRCs and extension, or -1 if it does not fit in len. */
  public static int headerLength(byte[] buf, int off, int len) {
    int length = FIXED_HEADER_LENGTH + 4 * csrcCount(buf, off);
    if (hasExtension(buf, off)) {
      if (length + 4 > len) {
        return -1;
      }
      int words = ((buf[off + length + 2] & 0xff) << 8) | (buf[off + length + 3] & 0xff);
      length += 4 + 4 * words;
    }
    return length <= len ? length : -1;
  }

  /** Payload length, excluding header and padding. Assumes {@link #isValid}. */
  public static int payloadLength(byte[] buf, int off, int len) {
    int pad = hasPadding(buf, off) ? buf[off + len - 1] & 0xff : 0;
    return len - headerLength(buf, off, len) - pad;
  }
}
