package io.projector.sfu.bwe;

import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03): an application-layer feedback message
 * carrying one bitrate for a list of SSRCs. Browsers still honour it as a cap on their send-side estimate,
 * and some send it as receivers.
 *
 * <pre>
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (always 0)              |
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * |   SSRC feedback                                               |  ... Num SSRC times
 * </pre>
 *
 * Bitrate = mantissa × 2^exp, mantissa 18 bits, exp 6 bits.
 */
public final class Remb {
  public static final int HEADER_LENGTH = 20;
  public static final int MAX_SSRCS = 255;
  private static final long IDENTIFIER = 0x52454D42L; // "REMB"
  private static final int MANTISSA_BITS = 18;
  private static final long MAX_MANTISSA = (1L << MANTISSA_BITS) - 1;

  private Remb() {}

  /** Bytes a REMB for {@code ssrcCount} SSRCs takes. */
  public static int length(int ssrcCount) {
    return HEADER_LENGTH + 4 * ssrcCount;
  }

  /** Writes a REMB for a single SSRC; returns bytes written. */
  public static int write(byte[] buf, int off, long senderSsrc, long bitrateBps, long ssrc) {
    int pos = writeHeader(buf, off, senderSsrc, bitrateBps, 1);
    Bytes.writeUint32(buf, pos, ssrc);
    return length(1);
  }

  /**
   * Writes a REMB for ssrcs[0, count). The bitrate is rounded down to what the format holds (at most
   * 2^-18 relative error), so the sender is never told more than meant.
   *
   * @return bytes written ({@link #length}(count))
   */
  public static int write(byte[] buf, int off, long senderSsrc, long bitrateBps, long[] ssrcs, int count) {
    int pos = writeHeader(buf, off, senderSsrc, bitrateBps, count);
    for (int i = 0; i < count; i++) {
      Bytes.writeUint32(buf, pos + 4 * i, ssrcs[i]);
    }
    return length(count);
  }

  private static int writeHeader(byte[] buf, int off, long senderSsrc, long bitrateBps, int count) {
    if (count < 1 || count > MAX_SSRCS || bitrateBps < 0) {
      throw new IllegalArgumentException("REMB needs 1..255 SSRCs and a bitrate >= 0");
    }
    int exp = 0;
    while ((bitrateBps >>> exp) > MAX_MANTISSA) {
      exp++;
    }
    long mantissa = bitrateBps >>> exp;
    buf[off] = (byte) (0x80 | RtcpHeader.FMT_AFB);
    buf[off + 1] = (byte) RtcpHeader.PSFB;
    Bytes.writeUint16(buf, off + 2, length(count) / 4 - 1);
    Bytes.writeUint32(buf, off + 4, senderSsrc);
    Bytes.writeUint32(buf, off + 8, 0); // media source SSRC is unused and must be 0
    Bytes.writeUint32(buf, off + 12, IDENTIFIER);
    buf[off + 16] = (byte) count;
    buf[off + 17] = (byte) ((exp << 2) | (mantissa >>> 16));
    Bytes.writeUint16(buf, off + 18, (int) (mantissa & 0xffff));
    return off + HEADER_LENGTH;
  }

  /**
   * Whether the RTCP packet at off (len = bytes available) is a well-formed REMB: PSFB/AFB, the "REMB"
   * identifier, a length that matches its SSRC count, and a bitrate that fits in a long.
   */
  public static boolean isRemb(byte[] buf, int off, int len) {
    if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
      return false;
    }
    int length = RtcpHeader.packetLength(buf, off, off + len);
    if (length < HEADER_LENGTH || RtcpHeader.packetType(buf, off) != RtcpHeader.PSFB
        || RtcpHeader.countOrFormat(buf, off) != RtcpHeader.FMT_AFB
        || Bytes.readUint32(buf, off + 12) != IDENTIFIER) {
      return false;
    }
    if ((buf[off] & 0x20) != 0) {
      int pad = buf[off + length - 1] & 0xff;
      if (pad == 0 || pad > length - HEADER_LENGTH) {
        return false;
      }
      length -= pad;
    }
    if (length != length(buf[off + 16] & 0xff)) {
      return false;
    }
    int exp = (buf[off + 17] & 0xff) >>> 2;
    long mantissa = mantissa(buf, off);
    return mantissa == 0 || exp <= Long.numberOfLeadingZeros(mantissa) - 1; // mantissa << exp stays positive
  }

  /** The bitrate of a REMB at off, or -1 when it is not a well-formed REMB ({@link #isRemb}). */
  public static long bitrateBps(byte[] buf, int off, int len) {
    if (!isRemb(buf, off, len)) {
      return -1;
    }
    return mantissa(buf, off) << ((buf[off + 17] & 0xff) >>> 2);
  }

  /** Number of SSRCs of a valid REMB. */
  public static int ssrcCount(byte[] buf, int off) {
    return buf[off + 16] & 0xff;
  }

  /** SSRC i of a valid REMB. */
  public static long ssrc(byte[] buf, int off, int i) {
    return Bytes.readUint32(buf, off + HEADER_LENGTH + 4 * i);
  }

  private static long mantissa(byte[] buf, int off) {
    return ((buf[off + 17] & 0x03L) << 16) | Bytes.readUint16(buf, off + 18);
  }
}
