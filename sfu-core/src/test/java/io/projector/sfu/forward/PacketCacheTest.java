package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.RtpPackets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketCacheTest {
  private static final long MAX_AGE_MS = 1000;

  private static byte[] packet(int seq) {
    return RtpPackets.build(96, seq, 90 * seq, 1111, false, null, new byte[] {(byte) seq, (byte) (seq >> 8), 7});
  }

  private static int get(PacketCache c, int seq, long nowMs) {
    return c.get(seq, new byte[1500], 0, nowMs, MAX_AGE_MS);
  }

  @Test
  void returnsTheExactBytesOfAStoredPacketAtTheRequestedOffset() {
    PacketCache c = new PacketCache();
    byte[] p = packet(42);
    byte[] framed = new byte[p.length + 10];
    System.arraycopy(p, 0, framed, 5, p.length);
    assertTrue(c.put(framed, 5, p.length, 0));

    byte[] dst = new byte[1600];
    assertEquals(p.length, c.get(42, dst, 100, 10, MAX_AGE_MS));
    assertArrayEquals(p, Arrays.copyOfRange(dst, 100, 100 + p.length));
    assertEquals(1, c.hits());
    assertEquals(0, c.misses());
  }

  @Test
  void aSequenceNumberNeverStoredIsAMissEvenWhenItsSlotIsOccupied() {
    PacketCache c = new PacketCache(8, 1500);
    c.put(packet(3), 0, packet(3).length, 0);
    assertEquals(-1, get(c, 4, 0), "empty slot");
    assertEquals(-1, get(c, 11, 0), "slot 3 holds seq 3, not 11");
    assertEquals(2, c.misses());
  }

  @Test
  void aNewerPacketInTheSameSlotEvictsTheOlderOne() {
    PacketCache c = new PacketCache(8, 1500);
    for (int seq = 0; seq <= 8; seq++) {
      c.put(packet(seq), 0, packet(seq).length, seq);
    }
    assertEquals(-1, get(c, 0, 10), "evicted by 8");
    assertTrue(get(c, 8, 10) > 0);
    assertTrue(get(c, 1, 10) > 0);
  }

  @Test
  void sequenceNumbersWrapFrom65535To0Seamlessly() {
    PacketCache c = new PacketCache(8, 1500);
    for (int i = 0; i < 6; i++) {
      int seq = (65533 + i) & 0xffff; // 65533, 65534, 65535, 0, 1, 2
      assertTrue(c.put(packet(seq), 0, packet(seq).length, i));
    }
    byte[] dst = new byte[1500];
    assertEquals(packet(65535).length, c.get(65535, dst, 0, 6, MAX_AGE_MS));
    assertArrayEquals(packet(65535), Arrays.copyOf(dst, packet(65535).length));
    assertArrayEquals(packet(0), Arrays.copyOf(dst, c.get(0, dst, 0, 6, MAX_AGE_MS)));
    assertTrue(get(c, 65533, 6) > 0);
    assertEquals(-1, get(c, 65532, 6));
  }

  @Test
  void packetsOlderThanMaxAgeAreAMiss() {
    PacketCache c = new PacketCache();
    c.put(packet(1), 0, packet(1).length, 1000);
    assertTrue(c.get(1, new byte[1500], 0, 2000, 1000) > 0, "exactly maxAgeMs old still counts");
    assertEquals(-1, c.get(1, new byte[1500], 0, 2001, 1000));
  }

  @Test
  void aPacketLaterThanTheWholeWindowDoesNotEvictANewerOne() {
    PacketCache c = new PacketCache(8, 1500);
    for (int seq = 100; seq <= 120; seq++) {
      c.put(packet(seq), 0, packet(seq).length, 0);
    }
    assertFalse(c.put(packet(104), 0, packet(104).length, 0), "104 is 16 behind; its slot holds 120");
    assertTrue(get(c, 120, 0) > 0);
    assertEquals(1, c.rejected());
    assertTrue(c.put(packet(115), 0, packet(115).length, 0), "a late packet inside the window is stored");
  }

  @Test
  void aStreamThatRenumbersFarBackIsCachedFromItsNewStart() {
    PacketCache c = new PacketCache(8, 1500);
    c.put(packet(40000), 0, packet(40000).length, 0);
    assertTrue(c.put(packet(20000), 0, packet(20000).length, 1), "20000 behind: not late, renumbered");
    assertTrue(c.put(packet(20001), 0, packet(20001).length, 2));
    assertTrue(get(c, 20001, 2) > 0);
    assertTrue(c.put(packet(19996), 0, packet(19996).length, 3), "late inside the new window");
  }

  @Test
  void rejectsBadBoundsAndOversizedPacketsWithoutThrowing() {
    PacketCache c = new PacketCache(8, 64);
    byte[] p = packet(1);
    assertFalse(c.put(p, 0, p.length + 1, 0));
    assertFalse(c.put(p, -1, p.length, 0));
    assertFalse(c.put(p, 0, 11, 0));
    assertFalse(c.put(null, 0, 20, 0));
    assertFalse(c.put(new byte[100], 0, 65, 0), "longer than a slot");
    assertEquals(5, c.rejected());

    c.put(p, 0, p.length, 0);
    assertEquals(-1, c.get(1, new byte[p.length - 1], 0, 0, MAX_AGE_MS), "dst too small");
    assertEquals(-1, c.get(1, new byte[p.length], 1, 0, MAX_AGE_MS));
    assertEquals(-1, c.get(1, null, 0, 0, MAX_AGE_MS));
    assertEquals(p.length, c.get(1, new byte[p.length], 0, 0, MAX_AGE_MS));
  }

  @Test
  void clearForgetsEverything() {
    PacketCache c = new PacketCache(8, 1500);
    c.put(packet(5), 0, packet(5).length, 0);
    c.clear();
    assertEquals(-1, get(c, 5, 0));
  }

  @Test
  void slotCountMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new PacketCache(500, 1500));
    assertEquals(512 * 1500, new PacketCache().slots() * new PacketCache().maxPacketLength());
  }
}
