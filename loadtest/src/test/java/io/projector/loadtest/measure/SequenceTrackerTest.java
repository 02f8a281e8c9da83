package io.projector.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  private static final long MS = 1_000_000;

  @Test
  void countsConsecutivePacketsAcrossTheSequenceWrap() {
    SequenceTracker t = new SequenceTracker();
    for (int i = 0; i < 100; i++) {
      assertTrue(t.onPacket((65500 + i) & 0xffff, MS * i));
    }
    assertEquals(100, t.received());
    assertEquals(100, t.expected());
    assertEquals(0, t.missingNow());
    assertEquals(65500 + 99, t.highest());
  }

  @Test
  void aGapIsNackedThenRetriedAfterTheRetryIntervalUpToTheLimit() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(10, 0);
    t.onPacket(13, MS); // 11 and 12 missing
    int[] out = new int[8];
    assertEquals(2, t.collectNacks(MS, 40 * MS, 2, out));
    assertArrayEquals(new int[] {11, 12}, Arrays.copyOf(out, 2));
    assertEquals(0, t.collectNacks(20 * MS, 40 * MS, 2, out), "not again before the retry interval");
    assertEquals(2, t.collectNacks(41 * MS, 40 * MS, 2, out), "retried once the interval passed");
    assertEquals(0, t.collectNacks(200 * MS, 40 * MS, 2, out), "never more than the limit");
  }

  @Test
  void aRetransmissionFillsTheGapAndIsNotLost() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(1, 0);
    t.onPacket(3, MS);
    assertTrue(t.onPacket(2, 30 * MS));
    t.expire(5000 * MS, 1000 * MS);
    assertEquals(0, t.lost());
    assertEquals(1, t.recovered());
    assertEquals(3, t.received());
    assertFalse(t.onPacket(2, 40 * MS), "a second copy is a duplicate");
    assertEquals(1, t.duplicates());
  }

  @Test
  void aGapOlderThanTheLossTimeoutIsLostAndALateRepairNoLongerCounts() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(1, 0);
    t.onPacket(4, 10 * MS);
    t.expire(500 * MS, 1000 * MS);
    assertEquals(0, t.lost(), "still within the timeout");
    t.expire(1010 * MS, 1000 * MS);
    assertEquals(2, t.lost());
    assertEquals(0, t.missingNow());
    assertFalse(t.onPacket(2, 1100 * MS), "too late to count as received");
  }

  @Test
  void finishCountsWhatIsStillMissing() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(100, 0);
    t.onPacket(110, MS);
    t.finish();
    assertEquals(9, t.lost());
    assertEquals(11, t.expected());
  }

  @Test
  void aHugeJumpCountsAsLossWithoutTrackingEachNumber() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(0, 0);
    t.onPacket(3, MS); // 1, 2 missing
    t.onPacket(3 + SequenceTracker.WINDOW, 2 * MS);
    assertEquals(2 + SequenceTracker.WINDOW - 1, t.lost());
    assertEquals(0, t.missingNow());
    int[] out = new int[4];
    assertEquals(0, t.collectNacks(3 * MS, MS, 10, out));
  }

  @Test
  void aReorderedOldPacketBeforeTheFirstIsIgnored() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(500, 0);
    assertFalse(t.onPacket(499, MS));
    assertEquals(1, t.tooLate());
    assertEquals(1, t.expected());
  }
}
