package io.projector.loadtest.jmh;

import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.RtpHeader;
import java.util.Arrays;

/**
 * A decrypted VP8 packet from Chrome's screen share as the forwarder holds it: {@value #LENGTH} bytes with the
 * header extensions Chrome puts on its media packets once the stream runs (abs-send-time, transport-wide-cc, ids
 * as in Chrome's offer: 2 and 4) and a VP8 payload descriptor with 15-bit PictureID, TL0PICIDX and TID.
 * {@link #next} turns it into the following packet of the stream (frames of {@value #PACKETS_PER_FRAME} packets)
 * by rewriting a few header fields in place, as cheaply as the benchmarks need.
 */
final class ChromeVp8Packet {
  static final long SSRC = 1836962768L;
  static final int PAYLOAD_TYPE = 96;
  static final int ABS_SEND_TIME_ID = 2;
  static final int TRANSPORT_CC_ID = 4;
  static final int LENGTH = 1200;
  static final int PACKETS_PER_FRAME = 5;
  /** Fixed header, extension block header, abs-send-time (1 + 3), transport-wide-cc (1 + 2), one pad byte. */
  private static final int HEADER_BYTES = 12 + 4 + 4 + 3 + 1;
  private static final int DESCRIPTOR_BYTES = 6;
  private static final int FRAME_TICKS = 3000;
  private static final byte[] KEYFRAME_HEADER = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x07, 0x38,
      0x04};

  /** The packet, with room after it for what a viewer's copy adds and the SRTP tag. */
  final byte[] buf = new byte[1600];
  private int seq = 4000;
  private long timestamp = 123_456;
  private int pictureId = 700;
  private int transportSeq = 1;
  private int packetInFrame;

  /** Starts as the first packet of a keyframe: the one a viewer's stream starts at. */
  ChromeVp8Packet() {
    buf[0] = (byte) 0x90; // V=2, X
    buf[1] = (byte) PAYLOAD_TYPE;
    RtpHeader.setSsrc(buf, 0, SSRC);
    Bytes.writeUint16(buf, 12, 0xBEDE);
    Bytes.writeUint16(buf, 14, 2);
    buf[16] = (byte) ((ABS_SEND_TIME_ID << 4) | 2);
    buf[20] = (byte) ((TRANSPORT_CC_ID << 4) | 1);
    buf[HEADER_BYTES] = (byte) 0x90; // X, S, partition 0
    buf[HEADER_BYTES + 1] = (byte) 0xe0; // I, L, T
    buf[HEADER_BYTES + 4] = 30; // TL0PICIDX
    Arrays.fill(buf, HEADER_BYTES + DESCRIPTOR_BYTES, LENGTH, (byte) 0x5a);
    System.arraycopy(KEYFRAME_HEADER, 0, buf, HEADER_BYTES + DESCRIPTOR_BYTES, KEYFRAME_HEADER.length);
    writeNumbers();
  }

  /** Whether the packet in {@link #buf} starts a keyframe. */
  boolean keyframeStart() {
    return (buf[HEADER_BYTES] & 0x10) != 0 && (buf[HEADER_BYTES + DESCRIPTOR_BYTES] & 0x01) == 0;
  }

  /** Becomes the next packet of the stream: delta frames from now on. */
  void next() {
    seq = (seq + 1) & 0xffff;
    transportSeq = (transportSeq + 1) & 0xffff;
    packetInFrame = (packetInFrame + 1) % PACKETS_PER_FRAME;
    boolean frameStart = packetInFrame == 0;
    if (frameStart) {
      timestamp = (timestamp + FRAME_TICKS) & 0xffffffffL;
      pictureId = (pictureId + 1) & 0x7fff;
    }
    buf[HEADER_BYTES] = (byte) (frameStart ? 0x90 : 0x80);
    buf[HEADER_BYTES + DESCRIPTOR_BYTES] = 0x11; // a delta frame's tag (only read on frame starts)
    writeNumbers();
  }

  private void writeNumbers() {
    boolean frameEnd = packetInFrame == PACKETS_PER_FRAME - 1;
    buf[1] = (byte) ((frameEnd ? 0x80 : 0) | PAYLOAD_TYPE);
    RtpHeader.setSequenceNumber(buf, 0, seq);
    RtpHeader.setTimestamp(buf, 0, timestamp);
    Bytes.writeUint24(buf, 17, (int) timestamp & 0xffffff);
    Bytes.writeUint16(buf, 21, transportSeq);
    buf[HEADER_BYTES + 2] = (byte) (0x80 | (pictureId >> 8));
    buf[HEADER_BYTES + 3] = (byte) pictureId;
    buf[HEADER_BYTES + 5] = (byte) ((pictureId & 1) << 6); // TID 0 and 1 alternating per frame
  }
}
