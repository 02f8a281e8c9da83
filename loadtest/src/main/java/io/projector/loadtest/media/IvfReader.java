package io.projector.loadtest.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads VP8 frames from an IVF file, the container libvpx and ffmpeg write raw VP8 into. Layout, all integers
 * little-endian:
 *
 * <pre>
 * file header, 32 bytes:
 *    0  "DKIF"               signature
 *    4  u16 version          0
 *    6  u16 header length    32 (a longer header is skipped)
 *    8  "VP80"               codec fourcc; only VP8 is accepted
 *   12  u16 width, u16 height in pixels
 *   16  u32 timebase denominator \  frame timestamps count units of
 *   20  u32 timebase numerator   /  numerator / denominator seconds
 *   24  u32 frame count          as declared by the writer (0 when unknown)
 *   28  u32 unused
 * per frame, 12 bytes then the frame:
 *    0  u32 frame length in bytes
 *    4  u64 timestamp in timebase units
 * </pre>
 *
 * Every malformed input fails with an IOException naming the source and what is wrong with it. The stream is
 * read as given (wrap it in a BufferedInputStream if it is unbuffered) and closed by {@link #close()}.
 */
public final class IvfReader implements AutoCloseable {
  public static final int FILE_HEADER_BYTES = 32;
  public static final int FRAME_HEADER_BYTES = 12;
  /** Far above any real VP8 frame, low enough that a corrupt length cannot exhaust the heap. */
  public static final int MAX_FRAME_BYTES = 16 << 20;
  /** VP8 codes width and height in 14 bits (RFC 6386 §9.1). */
  public static final int MAX_DIMENSION_PIXELS = 16383;

  /** One frame as stored: its timestamp in timebase units and its bytes. */
  public record Frame(long timestamp, byte[] data) {}

  private final InputStream in;
  private final String sourceName;
  private final int width;
  private final int height;
  private final long timebaseNumerator;
  private final long timebaseDenominator;
  private final long declaredFrameCount;
  private final byte[] frameHeader = new byte[FRAME_HEADER_BYTES];
  private int framesRead;

  /** Reads and checks the file header; {@code sourceName} only labels error messages. */
  public IvfReader(InputStream in, String sourceName) throws IOException {
    this.in = in;
    this.sourceName = sourceName;
    byte[] header = new byte[FILE_HEADER_BYTES];
    int got = in.readNBytes(header, 0, FILE_HEADER_BYTES);
    if (got < FILE_HEADER_BYTES) {
      throw malformed("truncated file header: " + got + " of " + FILE_HEADER_BYTES + " bytes");
    }
    String signature = ascii(header, 0);
    if (!signature.equals("DKIF")) {
      throw malformed("not an IVF file: signature is '" + printable(signature) + "', expected 'DKIF'");
    }
    int version = u16(header, 4);
    if (version != 0) {
      throw malformed("unsupported IVF version " + version + ", expected 0");
    }
    int headerLength = u16(header, 6);
    if (headerLength < FILE_HEADER_BYTES) {
      throw malformed("header length " + headerLength + " is shorter than " + FILE_HEADER_BYTES + " bytes");
    }
    String fourcc = ascii(header, 8);
    if (!fourcc.equals("VP80")) {
      throw malformed("codec fourcc is '" + printable(fourcc) + "', expected 'VP80' (VP8)");
    }
    width = u16(header, 12);
    height = u16(header, 14);
    if (width < 1 || width > MAX_DIMENSION_PIXELS || height < 1 || height > MAX_DIMENSION_PIXELS) {
      throw malformed("frame size " + width + "x" + height + " is outside 1.." + MAX_DIMENSION_PIXELS);
    }
    timebaseDenominator = u32(header, 16);
    timebaseNumerator = u32(header, 20);
    if (timebaseNumerator == 0 || timebaseDenominator == 0) {
      throw malformed("timebase " + timebaseNumerator + "/" + timebaseDenominator + " has a zero term");
    }
    declaredFrameCount = u32(header, 24);
    skipExtraHeader(headerLength - FILE_HEADER_BYTES);
  }

  private void skipExtraHeader(int extraBytes) throws IOException {
    if (extraBytes > 0 && in.readNBytes(extraBytes).length < extraBytes) {
      throw malformed("truncated file header: header length says " + (FILE_HEADER_BYTES + extraBytes) + " bytes");
    }
  }

  /** The next frame, or null at the end of the file (which must fall between frames). */
  public Frame next() throws IOException {
    int got = in.readNBytes(frameHeader, 0, FRAME_HEADER_BYTES);
    if (got == 0) {
      return null;
    }
    if (got < FRAME_HEADER_BYTES) {
      throw malformed("truncated header of frame " + framesRead + ": " + got + " of " + FRAME_HEADER_BYTES + " bytes");
    }
    long frameBytes = u32(frameHeader, 0);
    if (frameBytes > MAX_FRAME_BYTES) {
      throw malformed("frame " + framesRead + " claims " + frameBytes + " bytes, more than the "
          + MAX_FRAME_BYTES + " allowed");
    }
    long timestamp = u32(frameHeader, 4) | (u32(frameHeader, 8) << 32);
    byte[] data = in.readNBytes((int) frameBytes);
    if (data.length < frameBytes) {
      throw malformed("truncated frame " + framesRead + ": " + data.length + " of " + frameBytes + " bytes");
    }
    framesRead++;
    return new Frame(timestamp, data);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public long timebaseNumerator() {
    return timebaseNumerator;
  }

  public long timebaseDenominator() {
    return timebaseDenominator;
  }

  /** The frame count from the file header; writers that cannot seek back leave it 0. */
  public long declaredFrameCount() {
    return declaredFrameCount;
  }

  public String sourceName() {
    return sourceName;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private IOException malformed(String what) {
    return new IOException("malformed IVF " + sourceName + ": " + what);
  }

  private static String ascii(byte[] b, int off) {
    return new String(b, off, 4, StandardCharsets.ISO_8859_1);
  }

  /** Non-printable bytes as \xNN, so a binary signature reads sensibly in the message. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.toString();
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  private static long u32(byte[] b, int off) {
    return u16(b, off) | (long) u16(b, off + 2) << 16;
  }
}
