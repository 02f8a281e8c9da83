package io.projector.loadtest.media;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A short VP8 recording held in memory, for a synthetic presenter to send in a loop. Loading checks what the
 * presenter relies on: frame 0 is a keyframe (a loop restarts there), every keyframe carries the VP8 start code
 * and the IVF header's dimensions, every frame is shown (one frame per tick, no hidden alt-ref frames), and the
 * timestamps rise from frame to frame, which gives the frame rate.
 */
public final class Vp8Clip {
  /** Frame tag (3 bytes) on every frame; keyframes add start code 9d 01 2a and 16-bit width and height. */
  private static final int FRAME_TAG_BYTES = 3;
  private static final int KEYFRAME_HEADER_BYTES = 10;
  private static final double MAX_FRAMES_PER_SECOND = 240;

  private final int width;
  private final int height;
  private final byte[][] frames;
  private final boolean[] keyframes;
  private final double framesPerSecond;
  private final long totalFrameBytes;

  private Vp8Clip(int width, int height, byte[][] frames, boolean[] keyframes, double framesPerSecond) {
    this.width = width;
    this.height = height;
    this.frames = frames;
    this.keyframes = keyframes;
    this.framesPerSecond = framesPerSecond;
    long total = 0;
    for (byte[] frame : frames) {
      total += frame.length;
    }
    this.totalFrameBytes = total;
  }

  /** Loads an IVF file from the classpath, e.g. {@code "vectors/screen-720p30.ivf"} (a leading / is optional). */
  public static Vp8Clip load(String classpathResource) throws IOException {
    String path = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
    InputStream resource = Vp8Clip.class.getClassLoader().getResourceAsStream(path);
    if (resource == null) {
      throw new FileNotFoundException("no classpath resource " + classpathResource);
    }
    try (InputStream in = new BufferedInputStream(resource)) {
      return read(in, classpathResource);
    }
  }

  /** Reads a whole IVF stream; {@code sourceName} only labels error messages. Does not close the stream. */
  public static Vp8Clip read(InputStream in, String sourceName) throws IOException {
    IvfReader ivf = new IvfReader(in, sourceName);
    List<byte[]> frames = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    for (IvfReader.Frame frame = ivf.next(); frame != null; frame = ivf.next()) {
      frames.add(frame.data());
      timestamps.add(frame.timestamp());
    }
    if (frames.isEmpty()) {
      throw new IOException(sourceName + " holds no frames");
    }
    if (ivf.declaredFrameCount() != 0 && ivf.declaredFrameCount() != frames.size()) {
      throw new IOException(sourceName + " declares " + ivf.declaredFrameCount() + " frames but holds "
          + frames.size() + " (cut short?)");
    }
    boolean[] keyframes = new boolean[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      keyframes[i] = checkFrame(frames.get(i), i, ivf.width(), ivf.height(), sourceName);
    }
    if (!keyframes[0]) {
      throw new IOException(sourceName + ": frame 0 is not a keyframe, so the clip cannot be decoded from its start");
    }
    double framesPerSecond = framesPerSecond(timestamps, ivf, sourceName);
    return new Vp8Clip(ivf.width(), ivf.height(), frames.toArray(new byte[0][]), keyframes, framesPerSecond);
  }

  /** Checks the frame's VP8 header (RFC 6386 §9.1) and answers whether it is a keyframe. */
  private static boolean checkFrame(byte[] frame, int index, int width, int height, String sourceName)
      throws IOException {
    String where = sourceName + " frame " + index;
    if (frame.length < FRAME_TAG_BYTES) {
      throw new IOException(where + " is " + frame.length + " bytes, shorter than the VP8 frame tag");
    }
    int tag = (frame[0] & 0xff) | (frame[1] & 0xff) << 8 | (frame[2] & 0xff) << 16;
    boolean keyframe = (tag & 0x01) == 0;
    boolean shown = (tag & 0x10) != 0;
    int firstPartitionBytes = tag >>> 5;
    if (!shown) {
      throw new IOException(where + " is not shown (an alt-ref or other hidden frame); encode without them");
    }
    int headerBytes = keyframe ? KEYFRAME_HEADER_BYTES : FRAME_TAG_BYTES;
    if (frame.length < headerBytes + firstPartitionBytes) {
      throw new IOException(where + " is " + frame.length + " bytes, too short for its " + firstPartitionBytes
          + "-byte first partition");
    }
    if (!keyframe) {
      return false;
    }
    if ((frame[3] & 0xff) != 0x9d || (frame[4] & 0xff) != 0x01 || (frame[5] & 0xff) != 0x2a) {
      throw new IOException(where + " is a keyframe without the start code 9d 01 2a");
    }
    int codedWidth = ((frame[6] & 0xff) | (frame[7] & 0xff) << 8) & 0x3fff;
    int codedHeight = ((frame[8] & 0xff) | (frame[9] & 0xff) << 8) & 0x3fff;
    if (codedWidth != width || codedHeight != height) {
      throw new IOException(where + " is a " + codedWidth + "x" + codedHeight + " keyframe in a " + width + "x"
          + height + " file");
    }
    return true;
  }

  /** From the span of the timestamps, or from the timebase alone for a single frame. */
  private static double framesPerSecond(List<Long> timestamps, IvfReader ivf, String sourceName)
      throws IOException {
    for (int i = 1; i < timestamps.size(); i++) {
      if (timestamps.get(i) <= timestamps.get(i - 1)) {
        throw new IOException(sourceName + " frame " + i + " has timestamp " + timestamps.get(i)
            + ", not after the previous frame's " + timestamps.get(i - 1));
      }
    }
    double secondsPerTick = (double) ivf.timebaseNumerator() / ivf.timebaseDenominator();
    int intervals = timestamps.size() - 1;
    double rate = intervals == 0
        ? 1 / secondsPerTick
        : intervals / ((timestamps.get(intervals) - timestamps.get(0)) * secondsPerTick);
    if (!(rate >= 1 && rate <= MAX_FRAMES_PER_SECOND)) {
      throw new IOException(sourceName + " has an implausible frame rate of " + rate + " per second");
    }
    return rate;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int frameCount() {
    return frames.length;
  }

  public double framesPerSecond() {
    return framesPerSecond;
  }

  /** Time between frames at the clip's frame rate. */
  public long frameIntervalNanos() {
    return Math.round(1e9 / framesPerSecond);
  }

  /** Frame {@code i}'s VP8 bytes. The clip's own array, shared to spare a copy per send: do not modify it. */
  public byte[] frame(int i) {
    return frames[i];
  }

  /** Whether frame {@code i} is a keyframe (frame tag bit 0 clear). */
  public boolean isKeyframe(int i) {
    return keyframes[i];
  }

  /** Sum of the frames' VP8 bytes, without IVF headers. */
  public long totalFrameBytes() {
    return totalFrameBytes;
  }

  /** VP8 bits per second when the frames are sent at the clip's frame rate (no RTP or descriptor overhead). */
  public double averageBitsPerSecond() {
    return totalFrameBytes * 8.0 * framesPerSecond / frames.length;
  }
}
