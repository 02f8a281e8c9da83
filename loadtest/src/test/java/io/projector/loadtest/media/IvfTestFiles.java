package io.projector.loadtest.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds small IVF files and VP8 frame headers byte by byte, for tests that need malformed or tiny inputs. */
final class IvfTestFiles {
  static final int TIMEBASE_DENOMINATOR = 30;
  static final int TIMEBASE_NUMERATOR = 1;

  private IvfTestFiles() {}

  static byte[] fileHeader(String signature, int version, int headerLength, String fourcc, int width, int height,
      long timebaseDenominator, long timebaseNumerator, long frameCount) {
    ByteBuffer b = ByteBuffer.allocate(IvfReader.FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(signature.getBytes(StandardCharsets.ISO_8859_1), 0, 4);
    b.putShort((short) version).putShort((short) headerLength);
    b.put(fourcc.getBytes(StandardCharsets.ISO_8859_1), 0, 4);
    b.putShort((short) width).putShort((short) height);
    b.putInt((int) timebaseDenominator).putInt((int) timebaseNumerator).putInt((int) frameCount).putInt(0);
    return b.array();
  }

  /** A well-formed VP80 header at 30 fps (timebase 1/30). */
  static byte[] fileHeader(int width, int height, int frameCount) {
    return fileHeader("DKIF", 0, IvfReader.FILE_HEADER_BYTES, "VP80", width, height, TIMEBASE_DENOMINATOR,
        TIMEBASE_NUMERATOR, frameCount);
  }

  static byte[] frameHeader(long frameLength, long timestamp) {
    return ByteBuffer.allocate(IvfReader.FRAME_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) frameLength).putLong(timestamp).array();
  }

  /** A whole file: valid header declaring the frame count, frames stamped 0, 1, 2, ... at 1/30 s. */
  static byte[] ivf(int width, int height, byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(fileHeader(width, height, frames.length));
    for (int i = 0; i < frames.length; i++) {
      out.writeBytes(frameHeader(frames[i].length, i));
      out.writeBytes(frames[i]);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A shown VP8 keyframe of {@code length} bytes: frame tag, start code, dimensions, then filler partition. */
  static byte[] keyframe(int width, int height, int length) {
    byte[] frame = new byte[length];
    writeFrameTag(frame, true, length - 10);
    frame[3] = (byte) 0x9d;
    frame[4] = 0x01;
    frame[5] = 0x2a;
    frame[6] = (byte) width;
    frame[7] = (byte) (width >> 8);
    frame[8] = (byte) height;
    frame[9] = (byte) (height >> 8);
    fill(frame, 10);
    return frame;
  }

  /** A shown VP8 inter frame of {@code length} bytes. */
  static byte[] interFrame(int length) {
    byte[] frame = new byte[length];
    writeFrameTag(frame, false, length - 3);
    fill(frame, 3);
    return frame;
  }

  /** Frame tag (RFC 6386 §9.1): bit 0 inverse key flag, bits 1-3 version 0, bit 4 show_frame, then size. */
  static void writeFrameTag(byte[] frame, boolean keyframe, int firstPartitionBytes) {
    int tag = (keyframe ? 0 : 1) | 0x10 | firstPartitionBytes << 5;
    frame[0] = (byte) tag;
    frame[1] = (byte) (tag >> 8);
    frame[2] = (byte) (tag >> 16);
  }

  private static void fill(byte[] frame, int from) {
    for (int i = from; i < frame.length; i++) {
      frame[i] = (byte) (i * 31 + 7);
    }
  }
}
