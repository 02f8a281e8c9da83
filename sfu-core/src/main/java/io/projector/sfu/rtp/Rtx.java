package io.projector.sfu.rtp;

/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet is the original packet sent on its own SSRC,
 * payload type and sequence-number space, with the original sequence number (OSN) as the first two payload bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   RTP header: RTX PT, RTX seq, RTX SSRC; the original's       |
 * |   timestamp, marker, CSRCs and header extensions              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Padding is not part of either payload (§4), so it is dropped in both directions. Static, allocation-free;
 * failures are return values, never exceptions.
 */
public final class Rtx {
  /** Bytes an RTX packet adds to its original (the OSN). */
  public static final int OSN_LENGTH = 2;
  /** {@link #unwrap} result for an RTX packet without an OSN: padding only, as browsers send to probe bandwidth. */
  public static final int PADDING_ONLY = 0;
  /** Result for a packet that is not valid RTP, or a destination that is too small. */
  public static final int INVALID = -1;

  private Rtx() {}

  /**
   * Builds the RTX packet for an original packet.
   *
   * @param dst may be {@code src} at the same offset (in place); other overlaps are not supported. Needs room
   *     for the original's header and payload plus {@link #OSN_LENGTH}
   * @return the RTX packet's length, or {@link #INVALID}
   */
  public static int wrap(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rtxPayloadType,
      long rtxSsrc, int rtxSeq) {
    if (!validBounds(src, srcOff, srcLen) || dst == null || dstOff < 0 || !RtpHeader.isValid(src, srcOff, srcLen)) {
      return INVALID;
    }
    int header = RtpHeader.headerLength(src, srcOff, srcLen);
    int payload = RtpHeader.payloadLength(src, srcOff, srcLen);
    int outLen = header + OSN_LENGTH + payload;
    if (outLen > dst.length - dstOff) {
      return INVALID;
    }
    int osn = RtpHeader.sequenceNumber(src, srcOff);
    // Payload first: in place it moves right by two bytes and arraycopy handles the overlap like memmove.
    System.arraycopy(src, srcOff + header, dst, dstOff + header + OSN_LENGTH, payload);
    System.arraycopy(src, srcOff, dst, dstOff, header);
    Bytes.writeUint16(dst, dstOff + header, osn);
    dst[dstOff] &= ~0x20; // padding was not copied
    RtpHeader.setPayloadType(dst, dstOff, rtxPayloadType);
    RtpHeader.setSequenceNumber(dst, dstOff, rtxSeq & 0xffff);
    RtpHeader.setSsrc(dst, dstOff, rtxSsrc);
    return outLen;
  }

  /**
   * The original sequence number carried by a valid RTX packet, or -1 when it carries none (padding only or
   * malformed).
   */
  public static int originalSequenceNumber(byte[] buf, int off, int len) {
    if (!validBounds(buf, off, len) || !RtpHeader.isValid(buf, off, len)
        || RtpHeader.payloadLength(buf, off, len) < OSN_LENGTH) {
      return -1;
    }
    return Bytes.readUint16(buf, off + RtpHeader.headerLength(buf, off, len));
  }

  /** Restores the original packet in place: {@link #unwrap(byte[], int, int, byte[], int, int, long)} with dst = buf. */
  public static int unwrap(byte[] buf, int off, int len, int originalPayloadType, long originalSsrc) {
    return unwrap(buf, off, len, buf, off, originalPayloadType, originalSsrc);
  }

  /**
   * Restores the original packet from an RTX packet: OSN back as the sequence number, the original payload type
   * and SSRC (which the caller knows from the negotiated apt= and the FID ssrc-group), payload without the OSN.
   *
   * @param dst may be {@code src} at the same offset (in place); the result is never longer than the input
   * @return the original packet's length, {@link #PADDING_ONLY} when there is nothing to restore, or
   *     {@link #INVALID}
   */
  public static int unwrap(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int originalPayloadType,
      long originalSsrc) {
    if (!validBounds(src, srcOff, srcLen) || dst == null || dstOff < 0 || !RtpHeader.isValid(src, srcOff, srcLen)) {
      return INVALID;
    }
    int header = RtpHeader.headerLength(src, srcOff, srcLen);
    int payload = RtpHeader.payloadLength(src, srcOff, srcLen);
    if (payload < OSN_LENGTH) {
      return payload == 0 ? PADDING_ONLY : INVALID;
    }
    int outLen = header + payload - OSN_LENGTH; // padding dropped
    if (outLen > dst.length - dstOff) {
      return INVALID;
    }
    int osn = Bytes.readUint16(src, srcOff + header);
    // Header first: in place it stays put, then the payload moves left over the OSN (memmove semantics).
    System.arraycopy(src, srcOff, dst, dstOff, header);
    System.arraycopy(src, srcOff + header + OSN_LENGTH, dst, dstOff + header, payload - OSN_LENGTH);
    dst[dstOff] &= ~0x20;
    RtpHeader.setPayloadType(dst, dstOff, originalPayloadType);
    RtpHeader.setSequenceNumber(dst, dstOff, osn);
    RtpHeader.setSsrc(dst, dstOff, originalSsrc);
    return outLen;
  }

  private static boolean validBounds(byte[] buf, int off, int len) {
    return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
  }
}
