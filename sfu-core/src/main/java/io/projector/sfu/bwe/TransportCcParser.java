package io.projector.sfu.bwe;

import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;

/**
 * Parses an RTCP transport-wide congestion control feedback packet (RTPFB, FMT=15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) into per-packet statuses, without allocating.
 *
 * <pre>
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * |                     SSRC of packet sender                     |
 * |                      SSRC of media source                     |
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |  ...
 * |         packet chunk          |  recv delta   |  recv delta   |  ...
 * |           recv delta          |  recv delta   | zero padding  |
 * </pre>
 *
 * The packet is checked completely before the listener hears anything, so a truncated or inconsistent packet
 * (bad header, zero status count, reserved symbol, chunks or deltas running past the end, junk after the
 * deltas) yields {@code false} and no callbacks: a viewer's garbage cannot half-update an estimator.
 */
public final class TransportCcParser {
  /** Fixed part: RTCP header (4), sender and media SSRC (8), base seq, count, reference time, fb count (8). */
  public static final int HEADER_LENGTH = 20;
  /** Units of the reference time and of the receive deltas. */
  public static final long REFERENCE_TIME_UNIT_US = 64_000;
  public static final long DELTA_UNIT_US = 250;
  /** The reference time is 24 bits, so it wraps every 2^24 × 64 ms (about 12.4 days). */
  public static final int REFERENCE_TIME_MODULUS = 1 << 24;

  /** Packet status symbols (2-bit form; the 1-bit vector uses only the first two). */
  static final int NOT_RECEIVED = 0;
  static final int SMALL_DELTA = 1;
  static final int LARGE_DELTA = 2;

  /** Receives the contents of one valid feedback packet, in sequence order. */
  public interface Listener {
    /** Called once, before the statuses. {@code referenceTime} is the raw 24-bit value (64 ms units). */
    default void onFeedbackHeader(long senderSsrc, long mediaSsrc, int baseSeq, int statusCount,
        int referenceTime, int feedbackCount) {}

    /**
     * One packet status. {@code arrivalUs} is on the feedback sender's clock, counted from reference time 0
     * of the raw 24-bit reference time (see {@link #unwrapReferenceTime}); it is 0 when not received.
     */
    void onPacketStatus(int transportSeq, boolean received, long arrivalUs);
  }

  private TransportCcParser() {}

  /** Whether the RTCP packet at off is a transport-cc feedback (type and format only). */
  public static boolean isTransportCc(byte[] buf, int off, int len) {
    return len >= 4 && RtcpHeader.packetType(buf, off) == RtcpHeader.RTPFB
        && RtcpHeader.countOrFormat(buf, off) == RtcpHeader.FMT_TRANSPORT_CC;
  }

  /**
   * Parses the RTCP packet starting at off (len = bytes available; the packet's own length field decides how
   * many it uses) and reports it to the listener.
   *
   * @return false, without any callback, when the packet is not a well-formed transport-cc feedback
   */
  public static boolean parse(byte[] buf, int off, int len, Listener listener) {
    if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
      return false;
    }
    int length = RtcpHeader.packetLength(buf, off, off + len);
    if (length < HEADER_LENGTH + 4 || !isTransportCc(buf, off, length)) {
      return false;
    }
    int end = off + length;
    if ((buf[off] & 0x20) != 0) { // RFC 3550 padding: the last byte counts the padding bytes
      int pad = buf[end - 1] & 0xff;
      if (pad == 0 || pad > length - HEADER_LENGTH) {
        return false;
      }
      end -= pad;
    }
    int count = Bytes.readUint16(buf, off + 14);
    if (count == 0) {
      return false; // libwebrtc refuses empty feedback too
    }
    // Pass 1: walk the chunks to learn where the deltas start and how many bytes they take.
    int pos = off + HEADER_LENGTH;
    int seen = 0;
    int deltaBytes = 0;
    while (seen < count) {
      if (pos + 2 > end) {
        return false;
      }
      int chunk = Bytes.readUint16(buf, pos);
      pos += 2;
      int take = Math.min(capacity(chunk), count - seen);
      for (int j = 0; j < take; j++) {
        int symbol = symbol(chunk, j);
        if (symbol > LARGE_DELTA) {
          return false; // reserved symbol
        }
        deltaBytes += symbol; // the symbol value is also its delta's size in bytes
      }
      seen += take;
    }
    int deltasEnd = pos + deltaBytes;
    if (deltasEnd > end || end - deltasEnd > 3) {
      return false;
    }
    for (int i = deltasEnd; i < end; i++) {
      if (buf[i] != 0) {
        return false; // the draft's alignment padding is zeros; anything else is not ours to guess at
      }
    }
    // Pass 2: report.
    int baseSeq = Bytes.readUint16(buf, off + 12);
    int reference = Bytes.readUint24(buf, off + 16);
    listener.onFeedbackHeader(RtcpHeader.senderSsrc(buf, off), RtcpHeader.mediaSsrc(buf, off), baseSeq, count,
        reference, buf[off + 19] & 0xff);
    long arrivalUs = reference * REFERENCE_TIME_UNIT_US;
    int chunkPos = off + HEADER_LENGTH;
    int deltaPos = pos;
    int seq = baseSeq;
    seen = 0;
    while (seen < count) {
      int chunk = Bytes.readUint16(buf, chunkPos);
      chunkPos += 2;
      int take = Math.min(capacity(chunk), count - seen);
      for (int j = 0; j < take; j++) {
        int symbol = symbol(chunk, j);
        if (symbol == NOT_RECEIVED) {
          listener.onPacketStatus(seq, false, 0);
        } else {
          int delta = symbol == SMALL_DELTA ? buf[deltaPos] & 0xff : (short) Bytes.readUint16(buf, deltaPos);
          deltaPos += symbol;
          arrivalUs += delta * DELTA_UNIT_US;
          listener.onPacketStatus(seq, true, arrivalUs);
        }
        seq = (seq + 1) & 0xffff;
      }
      seen += take;
    }
    return true;
  }

  /**
   * Extends a raw 24-bit reference time to a continuous count of 64 ms units, given the previous extended
   * value (or {@code Long.MIN_VALUE} for the first feedback). Works across the 12.4-day wrap in either
   * direction, because consecutive feedback packets are never half a wrap apart.
   */
  public static long unwrapReferenceTime(long previousExtended, int referenceTime) {
    int raw = referenceTime & (REFERENCE_TIME_MODULUS - 1);
    if (previousExtended == Long.MIN_VALUE) {
      return raw;
    }
    int diff = ((raw - (int) (previousExtended & (REFERENCE_TIME_MODULUS - 1))) << 8) >> 8; // sign-extend 24
    return previousExtended + diff;
  }

  /** How many symbols a chunk holds: its run length, 14 (1-bit vector) or 7 (2-bit vector). */
  static int capacity(int chunk) {
    if ((chunk & 0x8000) == 0) {
      return chunk & 0x1fff;
    }
    return (chunk & 0x4000) == 0 ? 14 : 7;
  }

  /** Symbol j (0-based) of a chunk. */
  static int symbol(int chunk, int j) {
    if ((chunk & 0x8000) == 0) {
      return (chunk >> 13) & 0x3;
    }
    if ((chunk & 0x4000) == 0) {
      return (chunk >> (13 - j)) & 0x1;
    }
    return (chunk >> (12 - 2 * j)) & 0x3;
  }
}
