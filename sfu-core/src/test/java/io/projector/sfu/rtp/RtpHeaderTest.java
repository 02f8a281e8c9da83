package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpHeaderTest {
  @Test
  void readsAndRewritesTheFieldsTheForwarderUses() {
    byte[] p = RtpPackets.build(96, 65535, 0xfffffff0L, 0xdeadbeefL, true, new int[][] {{3, 1, 2}}, new byte[] {9, 9});
    assertTrue(RtpHeader.isValid(p, 0, p.length));
    assertEquals(96, RtpHeader.payloadType(p, 0));
    assertTrue(RtpHeader.marker(p, 0));
    assertEquals(65535, RtpHeader.sequenceNumber(p, 0));
    assertEquals(0xfffffff0L, RtpHeader.timestamp(p, 0));
    assertEquals(0xdeadbeefL, RtpHeader.ssrc(p, 0));
    assertEquals(20, RtpHeader.headerLength(p, 0, p.length));
    assertEquals(2, RtpHeader.payloadLength(p, 0, p.length));

    RtpHeader.setPayloadType(p, 0, 100);
    RtpHeader.setSequenceNumber(p, 0, 7);
    RtpHeader.setTimestamp(p, 0, 1234567);
    RtpHeader.setSsrc(p, 0, 42);
    assertEquals(100, RtpHeader.payloadType(p, 0));
    assertTrue(RtpHeader.marker(p, 0), "marker bit survives a payload-type rewrite");
    assertEquals(7, RtpHeader.sequenceNumber(p, 0));
    assertEquals(1234567, RtpHeader.timestamp(p, 0));
    assertEquals(42, RtpHeader.ssrc(p, 0));
  }

  @Test
  void worksOnAViewInsideALargerArray() {
    byte[] p = RtpPackets.build(111, 10, 20, 30, false, null, new byte[] {1, 2, 3});
    byte[] big = new byte[p.length + 50];
    System.arraycopy(p, 0, big, 25, p.length);
    assertTrue(RtpHeader.isValid(big, 25, p.length));
    assertEquals(111, RtpHeader.payloadType(big, 25));
    assertEquals(10, RtpHeader.sequenceNumber(big, 25));
    assertEquals(3, RtpHeader.payloadLength(big, 25, p.length));
  }

  @Test
  void rejectsTruncatedAndGarbagePacketsWithoutThrowing() {
    byte[] p = RtpPackets.build(96, 1, 2, 3, false, new int[][] {{1, 5}}, new byte[] {1});
    for (int len = 0; len < 17; len++) {
      assertFalse(RtpHeader.isValid(p, 0, len), "length " + len);
    }
    Random random = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      byte[] g = new byte[random.nextInt(40)];
      random.nextBytes(g);
      if (RtpHeader.isValid(g, 0, g.length)) {
        int h = RtpHeader.headerLength(g, 0, g.length);
        assertTrue(h >= 12 && h <= g.length);
        assertTrue(RtpHeader.payloadLength(g, 0, g.length) >= 0);
      }
    }
  }

  @Test
  void rejectsPaddingLongerThanThePacket() {
    byte[] p = RtpPackets.build(96, 1, 2, 3, false, null, new byte[] {0, 0, 0, 40});
    p[0] |= 0x20;
    assertFalse(RtpHeader.isValid(p, 0, p.length));
    p[p.length - 1] = 4;
    assertTrue(RtpHeader.isValid(p, 0, p.length));
    assertEquals(0, RtpHeader.payloadLength(p, 0, p.length));
  }

  @Test
  void demultiplexesTheSharedPortByFirstByte() {
    assertEquals(PacketType.STUN, PacketType.of(new byte[] {0, 1, 0, 0}, 0, 4));
    assertEquals(PacketType.DTLS, PacketType.of(new byte[] {22, (byte) 0xfe, (byte) 0xfd}, 0, 3));
    assertEquals(PacketType.RTP, PacketType.of(new byte[] {(byte) 0x80, 96}, 0, 2));
    assertEquals(PacketType.RTP, PacketType.of(new byte[] {(byte) 0x80, (byte) (0x80 | 96)}, 0, 2));
    assertEquals(PacketType.RTCP, PacketType.of(new byte[] {(byte) 0x81, (byte) 201}, 0, 2));
    assertEquals(PacketType.RTCP, PacketType.of(new byte[] {(byte) 0x81, (byte) 206}, 0, 2));
    assertEquals(PacketType.UNKNOWN, PacketType.of(new byte[] {100}, 0, 1));
    assertEquals(PacketType.UNKNOWN, PacketType.of(new byte[0], 0, 0));
  }
}
