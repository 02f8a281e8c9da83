package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderExtensionMapTest {
  @Test
  void rewritesIdsToTheViewersAndBlanksWhatTheViewerDidNotNegotiate() {
    // presenter: 3 = abs-send-time (3 bytes), 4 = mid "0", 9 = audio level (1 byte)
    byte[] p = RtpPackets.build(96, 1, 2, 3, false, new int[][] {{3, 1, 2, 3}, {4, '0'}, {9, 0x85}}, new byte[] {7});
    HeaderExtensionMap map = new HeaderExtensionMap().map(3, 2).map(9, 1); // viewer: 2 = abs-send-time, 1 = level
    assertTrue(map.rewrite(p, 0, p.length));

    long abs = HeaderExtensionMap.find(p, 0, p.length, 2);
    assertEquals(3, HeaderExtensionMap.dataLength(abs));
    assertEquals(1, p[HeaderExtensionMap.dataOffset(abs)]);
    long level = HeaderExtensionMap.find(p, 0, p.length, 1);
    assertEquals(0x85, p[HeaderExtensionMap.dataOffset(level)] & 0xff);
    assertEquals(-1, HeaderExtensionMap.find(p, 0, p.length, 4), "mid was blanked to padding");
    assertEquals(-1, HeaderExtensionMap.find(p, 0, p.length, 3), "old id is gone");
    assertTrue(RtpHeader.isValid(p, 0, p.length));
    assertEquals(7, p[p.length - 1], "payload untouched");
  }

  @Test
  void refusesAnExtensionBlockThatOverrunsThePacket() {
    byte[] p = RtpPackets.build(96, 1, 2, 3, false, new int[][] {{3, 1, 2, 3}}, new byte[0]);
    p[15] = 9; // claims 9 words of extension
    assertFalse(new HeaderExtensionMap().rewrite(p, 0, p.length));
  }

  @Test
  void rejectsIdsOutsideTheValidRange() {
    try {
      new HeaderExtensionMap().map(0, 1);
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError("id 0 accepted");
  }
}
