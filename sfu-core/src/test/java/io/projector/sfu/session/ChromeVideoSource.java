package io.projector.sfu.session;

import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.srtp.SrtpEncoder;
import java.util.Arrays;

/**
 * The presenter's browser in tests: Chrome's VP8 screen-share packets as they arrive at the SFU, protected with
 * the browser's SRTP keys. Ids, SSRC and payload type are those of test resource sdp/chrome-presenter.sdp. Every
 * packet is {@value #PACKET_BYTES} bytes before SRTP and carries abs-send-time and transport-wide-cc, as Chrome's
 * media packets do once the stream runs; frames are {@value #PACKETS_PER_FRAME} packets, the first a keyframe,
 * temporal layers 0 and 1 alternating. Writing a packet allocates nothing beyond what SRTP does.
 */
final class ChromeVideoSource {
  static final long SSRC = 1836962768L;
  static final int PAYLOAD_TYPE = 96;
  static final int ABS_SEND_TIME_ID = 2;
  static final int TRANSPORT_CC_ID = 4;
  static final int PACKET_BYTES = 1200;
  static final int PACKETS_PER_FRAME = 5;
  /** Fixed header, extension block header, abs-send-time (1 + 3), transport-cc (1 + 2), one byte of padding. */
  static final int HEADER_BYTES = 12 + 4 + 4 + 3 + 1;
  /** X, then I (15-bit PictureID), L (TL0PICIDX) and T (TID, Y). */
  static final int DESCRIPTOR_BYTES = 6;
  static final int FRAME_TICKS = 3000;
  /** A keyframe's VP8 frame tag (P = 0, shown), start code and size 1920x1080. */
  private static final byte[] KEYFRAME_HEADER = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x07, 0x38,
      0x04};
  private static final byte DELTA_FRAME_TAG = 0x11;

  private final SrtpEncoder browserEncoder;
  private int seq = 4000;
  private long timestamp = 123_456;
  private int pictureId = 700;
  private int tl0PicIdx = 30;
  private int transportSeq = 1;
  private int packetInFrame;
  private int frames;

  ChromeVideoSource(SrtpEncoder browserEncoder) {
    this.browserEncoder = browserEncoder;
  }

  /** Writes the next packet into buf from offset 0 and protects it; returns the protected length. */
  int next(byte[] buf) {
    writePlain(buf);
    int len = browserEncoder.protectRtp(buf, 0, PACKET_BYTES);
    if (len <= 0) {
      throw new IllegalStateException("browser-side SRTP failed");
    }
    return len;
  }

  /** Writes the next packet in the clear (what the SFU has after decrypting it). */
  void writePlain(byte[] buf) {
    boolean frameStart = packetInFrame == 0;
    boolean frameEnd = packetInFrame == PACKETS_PER_FRAME - 1;
    int tid = frames % 2;
    buf[0] = (byte) 0x90; // V=2, X
    buf[1] = (byte) ((frameEnd ? 0x80 : 0) | PAYLOAD_TYPE);
    RtpHeader.setSequenceNumber(buf, 0, seq);
    RtpHeader.setTimestamp(buf, 0, timestamp);
    RtpHeader.setSsrc(buf, 0, SSRC);
    Bytes.writeUint16(buf, 12, 0xBEDE);
    Bytes.writeUint16(buf, 14, 2); // two words of elements
    buf[16] = (byte) ((ABS_SEND_TIME_ID << 4) | 2);
    Bytes.writeUint24(buf, 17, (int) (timestamp * 7) & 0xffffff);
    buf[20] = (byte) ((TRANSPORT_CC_ID << 4) | 1);
    Bytes.writeUint16(buf, 21, transportSeq);
    buf[23] = 0;
    int d = HEADER_BYTES;
    buf[d] = (byte) (0x80 | (frameStart ? 0x10 : 0)); // X, S on the frame's first packet, partition 0
    buf[d + 1] = (byte) 0xe0; // I, L, T
    buf[d + 2] = (byte) (0x80 | (pictureId >> 8));
    buf[d + 3] = (byte) pictureId;
    buf[d + 4] = (byte) tl0PicIdx;
    buf[d + 5] = (byte) (tid << 6);
    int payload = d + DESCRIPTOR_BYTES;
    Arrays.fill(buf, payload, PACKET_BYTES, (byte) (seq * 31));
    if (frameStart) {
      writeFrameHeader(buf, payload, frames == 0);
    }
    advance(frameEnd, tid);
  }

  private static void writeFrameHeader(byte[] buf, int at, boolean keyframe) {
    if (keyframe) {
      System.arraycopy(KEYFRAME_HEADER, 0, buf, at, KEYFRAME_HEADER.length);
    } else {
      buf[at] = DELTA_FRAME_TAG;
    }
  }

  private void advance(boolean frameEnd, int tid) {
    seq = (seq + 1) & 0xffff;
    transportSeq = (transportSeq + 1) & 0xffff;
    packetInFrame++;
    if (frameEnd) {
      packetInFrame = 0;
      frames++;
      timestamp = (timestamp + FRAME_TICKS) & 0xffffffffL;
      pictureId = (pictureId + 1) & 0x7fff;
      if (tid == 0) {
        tl0PicIdx = (tl0PicIdx + 1) & 0xff;
      }
    }
  }
}
