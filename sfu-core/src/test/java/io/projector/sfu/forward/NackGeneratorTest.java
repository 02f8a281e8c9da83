package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
  private final int[] out = new int[64];

  private int[] collect(NackGenerator g, long nowMs, long rttMs) {
    return Arrays.copyOf(out, g.collect(nowMs, rttMs, out));
  }

  private static void receive(NackGenerator g, long nowMs, int... seqs) {
    for (int seq : seqs) {
      g.onPacket(seq, nowMs);
    }
  }

  @Test
  void aGapIsRequestedOnceTheReorderWindowHasPassed() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 2, 5);
    assertEquals(2, g.missingCount());
    assertArrayEquals(new int[0], collect(g, 4, 50), "still inside the 5 ms reorder window");
    assertArrayEquals(new int[] {3, 4}, collect(g, 5, 50));
    assertArrayEquals(new int[0], collect(g, 6, 50), "not again before the retry interval");
    assertEquals(2, g.requestsSent());
  }

  @Test
  void aPacketReorderedWithinTheWindowCostsNoNack() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 3);
    receive(g, 2, 2);
    assertArrayEquals(new int[0], collect(g, 10, 50));
    assertEquals(1, g.reordered());
    assertEquals(0, g.recovered());
    assertEquals(0, g.missingCount());
  }

  @Test
  void retriesEveryRttAndGivesUpAfterTenRequests() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 10, 12);
    long[] requestTimes = new long[10];
    int requests = 0;
    for (long now = 0; now <= 700; now++) {
      if (collect(g, now, 50).length == 1) {
        requestTimes[requests++] = now;
      }
    }
    assertArrayEquals(new long[] {5, 55, 105, 155, 205, 255, 305, 355, 405, 455}, requestTimes);
    assertEquals(1, g.givenUp(), "given up one interval after the last request");
    assertEquals(0, g.missingCount());
    assertTrue(g.keyframeAdvised(), "every viewer now has a hole only a keyframe fills");
  }

  @Test
  void theRetryIntervalHasA20MsFloorWhenTheRttIsSmallOrUnknown() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 3);
    assertEquals(1, collect(g, 5, 0).length);
    assertEquals(0, collect(g, 24, 2).length);
    assertEquals(1, collect(g, 25, 2).length);
  }

  @Test
  void aLateArrivalOrRtxRepairStopsTheRequests() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 4);
    assertArrayEquals(new int[] {2, 3}, collect(g, 5, 30));
    receive(g, 20, 3);
    assertArrayEquals(new int[] {2}, collect(g, 35, 30));
    assertEquals(1, g.recovered());
    receive(g, 40, 2);
    assertArrayEquals(new int[0], collect(g, 100, 30));
    assertEquals(0, g.givenUp());
    assertFalse(g.keyframeAdvised());
  }

  @Test
  void gapsAcrossTheWrapFrom65535To0AreFoundInOrder() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 65533, 65534, 2);
    assertArrayEquals(new int[] {65535, 0, 1}, collect(g, 5, 50));
    receive(g, 10, 0);
    assertArrayEquals(new int[] {65535, 1}, collect(g, 60, 50));
    receive(g, 61, 3, 4);
    assertEquals(2, g.missingCount());
  }

  @Test
  void packetsOlderThanTheFirstOneSeenAreNotTreatedAsGapsOrRenumbering() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 0, 65535, 1, 3);
    assertArrayEquals(new int[] {2}, collect(g, 5, 50));
  }

  @Test
  void tooManyMissingPacketsAdviseAKeyframeInsteadOfANackStorm() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 100, 700);
    assertTrue(g.keyframeAdvised());
    assertEquals(0, g.missingCount());
    assertArrayEquals(new int[0], collect(g, 10, 50));
    assertEquals(599, g.packetsMissing());

    g.onKeyframe(701);
    assertFalse(g.keyframeAdvised());
    receive(g, 20, 701, 703);
    assertArrayEquals(new int[] {702}, collect(g, 30, 50), "NACKs resume after the keyframe");
  }

  @Test
  void aKeyframeMakesOlderMissingPacketsNotWorthAskingFor() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 3, 5, 9, 12);
    g.onKeyframe(9);
    assertArrayEquals(new int[] {10, 11}, collect(g, 10, 50));
    assertEquals(0, g.givenUp(), "superseded, not lost");
  }

  @Test
  void aMissingPacketMoreThanMaxAgePacketsBehindTheNewestIsGivenUp() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 3);
    for (int seq = 4; seq <= 1002; seq++) {
      g.onPacket(seq, 1);
    }
    assertArrayEquals(new int[] {2}, collect(g, 5, 50), "exactly 1000 behind: still asked for");
    g.onPacket(1003, 6);
    assertArrayEquals(new int[0], collect(g, 60, 50));
    assertEquals(1, g.givenUp());
  }

  @Test
  void aMissingPacketIsGivenUpMaxAgeMsAfterItsGapWasSeen() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 1, 3);
    assertEquals(1, collect(g, 5, 400).length);
    assertEquals(1, collect(g, 405, 400).length);
    assertEquals(1, collect(g, 805, 400).length);
    assertEquals(0, collect(g, 1001, 400).length);
    assertEquals(1, g.givenUp());
  }

  @Test
  void whenTheOutputIsFullTheRestIsLeftForTheNextCall() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 0, 100);
    int[] small = new int[64];
    assertEquals(64, g.collect(5, 50, small));
    assertEquals(1, small[0]);
    assertEquals(64, small[63]);
    assertEquals(35, g.collect(6, 50, small));
    assertEquals(65, small[0]);
  }

  @Test
  void aStreamRenumberedFarBackStartsOverWithoutRequestingTheOldGaps() {
    NackGenerator g = new NackGenerator();
    receive(g, 0, 40000, 40002);
    receive(g, 1, 20000, 20001, 20003);
    assertArrayEquals(new int[] {20002}, collect(g, 10, 50));
  }

  @Test
  void settingsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new NackGenerator.Settings(5, 20, 10, 2000, 1000, 500));
    assertThrows(IllegalArgumentException.class, () -> new NackGenerator.Settings(5, 20, 10, 100, 1000, 500));
  }
}
