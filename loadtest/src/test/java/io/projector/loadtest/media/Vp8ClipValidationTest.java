package io.projector.loadtest.media;

import static io.projector.loadtest.media.IvfTestFiles.concat;
import static io.projector.loadtest.media.IvfTestFiles.fileHeader;
import static io.projector.loadtest.media.IvfTestFiles.frameHeader;
import static io.projector.loadtest.media.IvfTestFiles.interFrame;
import static io.projector.loadtest.media.IvfTestFiles.ivf;
import static io.projector.loadtest.media.IvfTestFiles.keyframe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Vp8Clip on small hand-built files: what it accepts and the VP8-level errors it reports. */
class Vp8ClipValidationTest {
  private static Vp8Clip read(byte[] file) throws IOException {
    return Vp8Clip.read(new ByteArrayInputStream(file), "clip.ivf");
  }

  private static void assertRejected(String expected, byte[] file) {
    IOException e = assertThrows(IOException.class, () -> read(file));
    assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should mention '" + expected + "'");
  }

  @Test
  void readsAKeyframeFollowedByInterFrames() throws IOException {
    byte[] key = keyframe(320, 240, 50);
    byte[] inter = interFrame(20);
    Vp8Clip clip = read(ivf(320, 240, key, inter, interFrame(30), keyframe(320, 240, 40)));
    assertEquals(4, clip.frameCount());
    assertEquals(320, clip.width());
    assertEquals(240, clip.height());
    assertTrue(clip.isKeyframe(0));
    assertFalse(clip.isKeyframe(1));
    assertFalse(clip.isKeyframe(2));
    assertTrue(clip.isKeyframe(3));
    assertArrayEquals(key, clip.frame(0));
    assertArrayEquals(inter, clip.frame(1));
    assertEquals(140, clip.totalFrameBytes());
    assertEquals(30.0, clip.framesPerSecond(), 1e-9);
    assertEquals(140 * 8 * 30 / 4.0, clip.averageBitsPerSecond(), 1e-9);
  }

  @Test
  void frameRateComesFromTimestampsInTheTimebase() throws IOException {
    // 90 kHz timebase, frames 3000 ticks apart: 30 fps although the timebase alone would say 90000.
    byte[] file = concat(fileHeader("DKIF", 0, 32, "VP80", 64, 64, 90000, 1, 3),
        frameHeader(16, 1000), keyframe(64, 64, 16),
        frameHeader(8, 4000), interFrame(8),
        frameHeader(8, 7000), interFrame(8));
    assertEquals(30.0, read(file).framesPerSecond(), 1e-9);
  }

  @Test
  void singleFrameTakesItsRateFromTheTimebase() throws IOException {
    byte[] file = concat(fileHeader("DKIF", 0, 32, "VP80", 64, 64, 25, 1, 1), frameHeader(16, 0),
        keyframe(64, 64, 16));
    assertEquals(25.0, read(file).framesPerSecond(), 1e-9);
  }

  @Test
  void rejectsAClipNotStartingWithAKeyframe() {
    assertRejected("frame 0 is not a keyframe", ivf(64, 64, interFrame(10), keyframe(64, 64, 20)));
  }

  @Test
  void rejectsAKeyframeWithoutTheStartCode() {
    byte[] key = keyframe(64, 64, 20);
    key[4] = 0x02;
    assertRejected("clip.ivf frame 0 is a keyframe without the start code 9d 01 2a", ivf(64, 64, key));
  }

  @Test
  void rejectsAKeyframeWhoseSizeDisagreesWithTheFileHeader() {
    assertRejected("frame 1 is a 640x480 keyframe in a 64x64 file",
        ivf(64, 64, keyframe(64, 64, 20), keyframe(640, 480, 20)));
  }

  @Test
  void rejectsHiddenFrames() {
    byte[] altRef = interFrame(10);
    altRef[0] &= ~0x10;
    assertRejected("frame 1 is not shown", ivf(64, 64, keyframe(64, 64, 20), altRef));
  }

  @Test
  void rejectsFramesTooShortForTheirHeaders() {
    assertRejected("frame 1 is 2 bytes, shorter than the VP8 frame tag", ivf(64, 64, keyframe(64, 64, 20),
        new byte[] {0x11, 0}));
    byte[] overrun = interFrame(10);
    IvfTestFiles.writeFrameTag(overrun, false, 50);
    assertRejected("frame 1 is 10 bytes, too short for its 50-byte first partition",
        ivf(64, 64, keyframe(64, 64, 20), overrun));
  }

  @Test
  void rejectsAFileCutShortAtAFrameBoundary() {
    byte[] file = concat(IvfTestFiles.fileHeader(64, 64, 3), frameHeader(20, 0), keyframe(64, 64, 20));
    assertRejected("declares 3 frames but holds 1", file);
  }

  @Test
  void rejectsAnEmptyClip() {
    assertRejected("holds no frames", IvfTestFiles.fileHeader(64, 64, 0));
  }

  @Test
  void rejectsTimestampsThatDoNotRise() {
    byte[] file = concat(IvfTestFiles.fileHeader(64, 64, 2), frameHeader(20, 5), keyframe(64, 64, 20),
        frameHeader(8, 5), interFrame(8));
    assertRejected("frame 1 has timestamp 5, not after the previous frame's 5", file);
  }

  @Test
  void rejectsAnImplausibleFrameRate() {
    byte[] file = concat(fileHeader("DKIF", 0, 32, "VP80", 64, 64, 1000, 1, 2), frameHeader(20, 0),
        keyframe(64, 64, 20), frameHeader(8, 1), interFrame(8));
    assertRejected("implausible frame rate of 1000.0 per second", file);
  }

  @Test
  void passesIvfErrorsThrough() {
    assertRejected("malformed IVF clip.ivf: codec fourcc is 'VP90'",
        fileHeader("DKIF", 0, 32, "VP90", 64, 64, 30, 1, 0));
  }

  @Test
  void missingResourceIsAFileNotFound() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Vp8Clip.load("vectors/none.ivf"));
    assertEquals("no classpath resource vectors/none.ivf", e.getMessage());
  }
}
