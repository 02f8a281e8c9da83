package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportSequenceTest {
  private static final int MID_ID = 4;
  private static final int TWCC_ID = 5;

  @Test
  void readsTheSequenceNumberOfTheNegotiatedId() {
    byte[] p = RtpPackets.build(96, 1, 0, 1, false, new int[][] {{MID_ID, '0'}, {TWCC_ID, 0xAB, 0xCD}},
        new byte[10]);
    assertEquals(0xABCD, TransportSequence.read(p, 0, p.length, TWCC_ID));
    assertEquals(-1, TransportSequence.read(p, 0, p.length, 7), "no such element");
    assertEquals(-1, TransportSequence.read(p, 0, p.length, MID_ID), "present but not 2 bytes");
    assertEquals(-1, TransportSequence.read(p, 0, p.length, 0), "id 0 = not negotiated");
  }

  @Test
  void stampsANewSequenceNumberInPlaceLeavingEverythingElse() {
    byte[] p = RtpPackets.build(96, 1, 0, 1, false, new int[][] {{TWCC_ID, 0x00, 0x01}, {MID_ID, '1'}},
        new byte[] {9, 8, 7});
    byte[] before = p.clone();
    assertTrue(TransportSequence.write(p, 0, p.length, TWCC_ID, 65536 + 77));
    assertEquals(77, TransportSequence.read(p, 0, p.length, TWCC_ID), "taken mod 2^16");
    before[17] = 0;
    before[18] = 77;
    assertArrayEquals(before, p);
  }

  @Test
  void refusesToWriteWhenThePacketHasNoSuchElement() {
    byte[] p = RtpPackets.build(96, 1, 0, 1, false, null, new byte[4]);
    byte[] before = p.clone();
    assertFalse(TransportSequence.has(p, 0, p.length, TWCC_ID));
    assertFalse(TransportSequence.write(p, 0, p.length, TWCC_ID, 5));
    assertArrayEquals(before, p);
  }

  @Test
  void followsTheIdThatHeaderExtensionMapRewroteForTheViewer() {
    byte[] p = RtpPackets.build(96, 1, 0, 1, false, new int[][] {{3, 0x12, 0x34}}, new byte[4]);
    assertTrue(new HeaderExtensionMap().map(3, 9).rewrite(p, 0, p.length));
    assertEquals(-1, TransportSequence.read(p, 0, p.length, 3));
    assertTrue(TransportSequence.write(p, 0, p.length, 9, 1000));
    assertEquals(1000, TransportSequence.read(p, 0, p.length, 9));
  }
}
