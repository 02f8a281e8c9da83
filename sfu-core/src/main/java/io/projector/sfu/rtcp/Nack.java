package io.projector.sfu.rtcp;

import io.projector.sfu.rtp.Bytes;

/**
 * Generic NACK (RFC 4585 §6.2.1): an RTPFB packet (PT 205, FMT 1) whose FCI is a list of 32-bit entries, each a
 * packet ID (PID) and a bitmask of the 16 following lost packets (BLP, bit i = PID + i + 1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=1   |    PT=205     |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |  (repeated)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Parsing fills a caller-owned int[] (no callback object, no allocation) and never throws on garbage: a remote
 * peer controls these bytes, so malformed input is reported as -1 for the caller to count.
 */
public final class Nack {
  public static final int HEADER_LENGTH = 12;
  public static final int FCI_LENGTH = 4;
  /** Sequence numbers one FCI entry can name: the PID and the 16 BLP bits. */
  public static final int SEQUENCES_PER_FCI = 17;
  /**
   * Largest NACK {@link #write} produces, so that it fits one datagram with SRTCP overhead and another
   * compound packet: 297 entries, which covers at least 297 and up to 5049 sequence numbers.
   */
  public static final int MAX_LENGTH = 1200;
  public static final int MALFORMED = -1;

  private Nack() {}

  /** Whether the RTCP packet at pos (its header already bounds-checked by the caller) is a generic NACK. */
  public static boolean isNack(byte[] buf, int pos) {
    return RtcpHeader.packetType(buf, pos) == RtcpHeader.RTPFB
        && RtcpHeader.countOrFormat(buf, pos) == RtcpHeader.FMT_NACK;
  }

  /**
   * Extracts the requested sequence numbers of the NACK at pos, in FCI order. Stops early when {@code out} is
   * full (the requester repeats unanswered NACKs, so truncation only delays the rest).
   *
   * @param packetLength the packet's length as {@link RtcpHeader#packetLength} returned it
   * @return how many sequence numbers were written to out, or {@link #MALFORMED}
   */
  public static int parse(byte[] buf, int pos, int packetLength, int[] out) {
    if (buf == null || out == null || pos < 0 || packetLength < HEADER_LENGTH || pos > buf.length - packetLength
        || (buf[pos] & 0xc0) != 0x80 || !isNack(buf, pos)
        || 4 * (Bytes.readUint16(buf, pos + 2) + 1) != packetLength) {
      return MALFORMED;
    }
    int end = pos + packetLength;
    if ((buf[pos] & 0x20) != 0) { // padding: its last byte counts the padding bytes, itself included
      int pad = buf[end - 1] & 0xff;
      if (pad == 0 || pad > packetLength - HEADER_LENGTH) {
        return MALFORMED;
      }
      end -= pad;
    }
    int count = 0;
    for (int fci = pos + HEADER_LENGTH; fci + FCI_LENGTH <= end; fci += FCI_LENGTH) {
      int pid = Bytes.readUint16(buf, fci);
      int blp = Bytes.readUint16(buf, fci + 2);
      if (count == out.length) {
        return count;
      }
      out[count++] = pid;
      for (int bit = 0; bit < 16 && blp != 0; bit++) {
        if ((blp & (1 << bit)) != 0) {
          if (count == out.length) {
            return count;
          }
          out[count++] = (pid + bit + 1) & 0xffff;
        }
      }
    }
    return count;
  }

  /**
   * Writes one NACK for {@code seqs[0..count)} at pos, packing them into as few PID/BLP entries as it can.
   * Ascending order (with wrap-around, as {@link io.projector.sfu.forward.NackGenerator#collect} returns them)
   * packs best, but any order is accepted; duplicates are harmless.
   *
   * @return bytes written (at most {@link #MAX_LENGTH} and what fits in buf), or 0 when there is nothing to send
   *     or no room; sequence numbers that do not fit are left out
   */
  public static int write(byte[] buf, int pos, long senderSsrc, long mediaSsrc, int[] seqs, int count) {
    if (buf == null || seqs == null || pos < 0 || count <= 0) {
      return 0;
    }
    int limit = pos + Math.min(MAX_LENGTH, buf.length - pos);
    if (pos + HEADER_LENGTH + FCI_LENGTH > limit) {
      return 0;
    }
    int end = pos + HEADER_LENGTH;
    for (int i = 0; i < Math.min(count, seqs.length); i++) {
      int seq = seqs[i] & 0xffff;
      if (!addToExistingEntry(buf, pos + HEADER_LENGTH, end, seq)) {
        if (end + FCI_LENGTH > limit) {
          break;
        }
        Bytes.writeUint16(buf, end, seq);
        Bytes.writeUint16(buf, end + 2, 0);
        end += FCI_LENGTH;
      }
    }
    int length = end - pos;
    RtcpHeader.writeHeader(buf, pos, RtcpHeader.FMT_NACK, RtcpHeader.RTPFB, length);
    Bytes.writeUint32(buf, pos + 4, senderSsrc);
    Bytes.writeUint32(buf, pos + 8, mediaSsrc);
    return length;
  }

  /**
   * Sets seq's bit in an entry it falls into. The newest entry is tried first, so sorted input costs O(1) per
   * number; otherwise this scans back over at most the 297 entries a NACK holds.
   */
  private static boolean addToExistingEntry(byte[] buf, int first, int end, int seq) {
    for (int fci = end - FCI_LENGTH; fci >= first; fci -= FCI_LENGTH) {
      int diff = (seq - Bytes.readUint16(buf, fci)) & 0xffff;
      if (diff == 0) {
        return true;
      }
      if (diff <= 16) {
        Bytes.writeUint16(buf, fci + 2, Bytes.readUint16(buf, fci + 2) | (1 << (diff - 1)));
        return true;
      }
    }
    return false;
  }
}
