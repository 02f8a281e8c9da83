package io.projector.loadtest.media;

import java.util.Objects;

/**
 * Splits a VP8 frame into RTP payloads (RFC 7741) as a browser sends them: each payload starts with a 4-byte
 * payload descriptor, then a fragment of the frame.
 *
 * <pre>
 *   byte 0  X=1 R=0 N=0 S R=0 PID=0   S=1 only on the frame's first packet
 *   byte 1  I=1 L=0 T=0 K=0 RSV=0     picture id present; no temporal layers, no key index
 *   byte 2  M=1 picture id bits 14..8
 *   byte 3  picture id bits 7..0      15-bit picture id, the same on every packet of a frame
 * </pre>
 *
 * The frame is cut into as few fragments as fit {@code maxPayloadBytes}, with sizes differing by at most one
 * byte (the first {@code frameLength % packetCount} fragments take the extra byte), so there is no tiny last
 * packet. Writing is allocation-free: the caller writes each payload straight into its RTP buffer after the
 * header and sets the RTP marker bit on the last packet. Stateless, so one instance may serve many streams.
 */
public final class Vp8Packetizer {
  public static final int DESCRIPTOR_BYTES = 4;
  /** Picture ids are 15 bits; larger values are taken modulo 2^15, so a caller may just count frames. */
  public static final int PICTURE_ID_MASK = 0x7fff;

  private static final int X_BIT = 0x80;
  private static final int S_BIT = 0x10;
  private static final int I_BIT = 0x80;
  private static final int M_BIT = 0x80;

  private final int maxPayloadBytes;
  private final int maxFragmentBytes;

  /** @param maxPayloadBytes RTP payload budget per packet, descriptor included (e.g. 1180) */
  public Vp8Packetizer(int maxPayloadBytes) {
    if (maxPayloadBytes <= DESCRIPTOR_BYTES) {
      throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " leaves no room after the "
          + DESCRIPTOR_BYTES + "-byte descriptor");
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxFragmentBytes = maxPayloadBytes - DESCRIPTOR_BYTES;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Packets a frame of {@code frameLength} bytes (at least 1) takes. */
  public int packetCount(int frameLength) {
    if (frameLength < 1) {
      throw new IllegalArgumentException("frame length " + frameLength + ": a VP8 frame has at least one byte");
    }
    return (frameLength + maxFragmentBytes - 1) / maxFragmentBytes;
  }

  /** Length of payload {@code packetIndex}, descriptor included. */
  public int payloadLength(int frameLength, int packetIndex, int packetCount) {
    checkPacket(frameLength, packetIndex, packetCount);
    return DESCRIPTOR_BYTES + fragmentLength(frameLength, packetIndex, packetCount);
  }

  /**
   * Writes payload {@code packetIndex} of {@code packetCount} (which must be {@code packetCount(frame.length)})
   * into {@code dst} at {@code dstOffset}: the descriptor, then the frame's fragment.
   *
   * @param pictureId the frame's picture id; only its low 15 bits are sent
   * @return bytes written, at most {@link #maxPayloadBytes()}
   */
  public int writePayload(byte[] frame, int packetIndex, int packetCount, int pictureId, byte[] dst,
      int dstOffset) {
    checkPacket(frame.length, packetIndex, packetCount);
    int fragmentLength = fragmentLength(frame.length, packetIndex, packetCount);
    int payloadLength = DESCRIPTOR_BYTES + fragmentLength;
    Objects.checkFromIndexSize(dstOffset, payloadLength, dst.length);
    int maskedPictureId = pictureId & PICTURE_ID_MASK;
    dst[dstOffset] = (byte) (packetIndex == 0 ? X_BIT | S_BIT : X_BIT);
    dst[dstOffset + 1] = (byte) I_BIT;
    dst[dstOffset + 2] = (byte) (M_BIT | maskedPictureId >> 8);
    dst[dstOffset + 3] = (byte) maskedPictureId;
    System.arraycopy(frame, fragmentOffset(frame.length, packetIndex, packetCount), dst,
        dstOffset + DESCRIPTOR_BYTES, fragmentLength);
    return payloadLength;
  }

  private void checkPacket(int frameLength, int packetIndex, int packetCount) {
    int expectedCount = packetCount(frameLength);
    if (packetCount != expectedCount) {
      throw new IllegalArgumentException("a " + frameLength + "-byte frame takes " + expectedCount
          + " packets at " + maxPayloadBytes + " bytes per payload, not " + packetCount);
    }
    Objects.checkIndex(packetIndex, packetCount);
  }

  /** Fragments 0..extra-1 are one byte longer than the rest, where extra = frameLength % packetCount. */
  private static int fragmentLength(int frameLength, int packetIndex, int packetCount) {
    int shorterLength = frameLength / packetCount;
    return packetIndex < frameLength % packetCount ? shorterLength + 1 : shorterLength;
  }

  private static int fragmentOffset(int frameLength, int packetIndex, int packetCount) {
    int shorterLength = frameLength / packetCount;
    return packetIndex * shorterLength + Math.min(packetIndex, frameLength % packetCount);
  }
}
