package io.projector.loadtest.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.Vp8Descriptor;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the SFU sees: the packetizer's payloads read back through sfu-core's own Vp8Descriptor. */
class Vp8PacketizerSfuParserTest {
  private static Vp8Clip clip;
  private final Vp8Packetizer packetizer = new Vp8Packetizer(1180);

  @BeforeAll
  static void load() throws IOException {
    clip = Vp8Clip.load(Vp8ClipTest.VECTOR);
  }

  @Test
  void keyframePacketsParseAsAKeyframeStartingAFrame() {
    List<byte[]> payloads = Vp8PacketizerTest.payloads(packetizer, clip.frame(0), 32_000);
    byte[] first = payloads.get(0);
    assertTrue(Vp8Descriptor.isStartOfFrame(first, 0, first.length));
    assertTrue(Vp8Descriptor.isKeyframe(first, 0, first.length));
    assertEquals(1280, Vp8Descriptor.keyframeWidth(first, 0, first.length));
    assertEquals(720, Vp8Descriptor.keyframeHeight(first, 0, first.length));
    for (int i = 1; i < payloads.size(); i++) {
      byte[] p = payloads.get(i);
      assertFalse(Vp8Descriptor.isStartOfFrame(p, 0, p.length), "packet " + i);
      assertFalse(Vp8Descriptor.isStartOfPartition(p, 0, p.length), "packet " + i);
      assertFalse(Vp8Descriptor.isKeyframe(p, 0, p.length), "only the first packet carries the frame tag");
    }
  }

  @Test
  void everyPacketCarriesA15BitPictureIdAndNoLayers() {
    for (int f = 0; f < clip.frameCount(); f++) {
      int pictureId = 32_760 + f;
      for (byte[] p : Vp8PacketizerTest.payloads(packetizer, clip.frame(f), pictureId)) {
        int len = p.length;
        assertEquals(Vp8Packetizer.DESCRIPTOR_BYTES, Vp8Descriptor.length(p, 0, len));
        assertTrue(Vp8Descriptor.hasExtension(p, 0, len));
        assertEquals(15, Vp8Descriptor.pictureIdBits(p, 0, len));
        assertEquals(pictureId & 0x7fff, Vp8Descriptor.pictureId(p, 0, len), "frame " + f);
        assertEquals(0, Vp8Descriptor.partitionIndex(p, 0, len));
        assertFalse(Vp8Descriptor.isNonReference(p, 0, len));
        assertEquals(-1, Vp8Descriptor.tl0PicIdx(p, 0, len));
        assertEquals(-1, Vp8Descriptor.temporalLayerId(p, 0, len));
        assertEquals(-1, Vp8Descriptor.keyIdx(p, 0, len));
      }
    }
  }

  @Test
  void interFramesStartFramesButAreNotKeyframes() {
    for (int f = 1; f < clip.frameCount(); f++) {
      byte[] first = Vp8PacketizerTest.payloads(packetizer, clip.frame(f), f).get(0);
      assertTrue(Vp8Descriptor.isStartOfFrame(first, 0, first.length), "frame " + f);
      assertFalse(Vp8Descriptor.isKeyframe(first, 0, first.length), "frame " + f);
      assertEquals(-1, Vp8Descriptor.keyframeWidth(first, 0, first.length), "frame " + f);
    }
  }
}
