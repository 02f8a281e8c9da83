package io.projector.sfu.rtcp;

import io.projector.sfu.rtp.Bytes;

/**
 * Static accessors for RTCP packets in a byte array (RFC 3550 §6.4, RFC 4585 §6.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (feedback only)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A datagram may hold several packets (compound RTCP); {@link #packetLength} walks them.
 */
public final class RtcpHeader {
  public static final int SR = 200;
  public static final int RR = 201;
  public static final int SDES = 202;
  public static final int BYE = 203;
  public static final int RTPFB = 205;
  public static final int PSFB = 206;

  public static final int FMT_NACK = 1;
  public static final int FMT_TRANSPORT_CC = 15;
  public static final int FMT_PLI = 1;
  public static final int FMT_FIR = 4;
  public static final int FMT_AFB = 15;

  private RtcpHeader() {}

  /** Length in bytes of the RTCP packet at pos, or -1 if it is malformed or overruns end. */
  public static int packetLength(byte[] buf, int pos, int end) {
    if (end - pos < 4 || (buf[pos] & 0xc0) != 0x80) {
      return -1;
    }
    int length = 4 * (Bytes.readUint16(buf, pos + 2) + 1);
    return pos + length <= end ? length : -1;
  }

  public static int countOrFormat(byte[] buf, int pos) {
    return buf[pos] & 0x1f;
  }

  public static int packetType(byte[] buf, int pos) {
    return buf[pos + 1] & 0xff;
  }

  public static long senderSsrc(byte[] buf, int pos) {
    return Bytes.readUint32(buf, pos + 4);
  }

  public static long mediaSsrc(byte[] buf, int pos) {
    return Bytes.readUint32(buf, pos + 8);
  }

  /** Whether every packet of the compound datagram is well formed. */
  public static boolean isValidCompound(byte[] buf, int off, int len) {
    int pos = off;
    int end = off + len;
    if (len < 8) {
      return false;
    }
    while (pos < end) {
      int l = packetLength(buf, pos, end);
      if (l < 0) {
        return false;
      }
      pos += l;
    }
    return true;
  }

  static void writeHeader(byte[] buf, int pos, int countOrFmt, int type, int lengthBytes) {
    buf[pos] = (byte) (0x80 | (countOrFmt & 0x1f));
    buf[pos + 1] = (byte) type;
    Bytes.writeUint16(buf, pos + 2, lengthBytes / 4 - 1);
  }
}
