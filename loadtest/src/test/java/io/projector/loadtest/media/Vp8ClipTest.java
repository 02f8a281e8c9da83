package io.projector.loadtest.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed test vector the synthetic presenter publishes: vectors/screen-720p30.ivf. */
class Vp8ClipTest {
  static final String VECTOR = "vectors/screen-720p30.ivf";
  private static Vp8Clip clip;

  @BeforeAll
  static void load() throws IOException {
    clip = Vp8Clip.load(VECTOR);
  }

  @Test
  void isTwoSecondsOf720pAt30Fps() {
    assertEquals(1280, clip.width());
    assertEquals(720, clip.height());
    assertEquals(60, clip.frameCount());
    assertEquals(30.0, clip.framesPerSecond(), 1e-9);
    assertEquals(33_333_333, clip.frameIntervalNanos());
  }

  @Test
  void onlyFrameZeroIsAKeyframe() {
    assertTrue(clip.isKeyframe(0));
    for (int i = 1; i < clip.frameCount(); i++) {
      assertFalse(clip.isKeyframe(i), "frame " + i);
      assertEquals(1, clip.frame(i)[0] & 0x01, "frame " + i + " tag says inter frame");
    }
  }

  @Test
  void keyframeCarriesStartCodeAndDimensions() {
    byte[] key = clip.frame(0);
    assertEquals(0, key[0] & 0x01, "inverse key-frame bit clear");
    assertEquals(0x9d, key[3] & 0xff);
    assertEquals(0x01, key[4] & 0xff);
    assertEquals(0x2a, key[5] & 0xff);
    assertEquals(1280, (key[6] & 0xff | (key[7] & 0xff) << 8) & 0x3fff);
    assertEquals(720, (key[8] & 0xff | (key[9] & 0xff) << 8) & 0x3fff);
  }

  @Test
  void everyFrameIsShown() {
    for (int i = 0; i < clip.frameCount(); i++) {
      assertEquals(0x10, clip.frame(i)[0] & 0x10, "frame " + i + " show_frame bit");
    }
  }

  @Test
  void bitrateIsAScreenShareAt2500Kbps() {
    long sum = 0;
    for (int i = 0; i < clip.frameCount(); i++) {
      sum += clip.frame(i).length;
    }
    assertEquals(sum, clip.totalFrameBytes());
    assertEquals(sum * 8 / 2.0, clip.averageBitsPerSecond(), 1e-6, "60 frames at 30 fps last 2 s");
    double bps = clip.averageBitsPerSecond();
    assertTrue(bps >= 1.5e6 && bps <= 4e6, "average " + bps + " bit/s");
  }

  @Test
  void vectorFileStaysSmall() throws IOException {
    try (InputStream in = Vp8Clip.class.getClassLoader().getResourceAsStream(VECTOR)) {
      assertNotNull(in);
      long fileBytes = in.readAllBytes().length;
      assertTrue(fileBytes < 1_000_000, fileBytes + " bytes");
      assertEquals(IvfReader.FILE_HEADER_BYTES + 60 * IvfReader.FRAME_HEADER_BYTES + clip.totalFrameBytes(),
          fileBytes);
    }
  }

  @Test
  void leadingSlashIsOptional() throws IOException {
    assertEquals(clip.totalFrameBytes(), Vp8Clip.load("/" + VECTOR).totalFrameBytes());
  }
}
