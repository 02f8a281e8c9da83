package io.projector.sfu.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcRecorderTest {
  private static final long T0_US = 1_000_000_000L;
  private final byte[] buf = new byte[1500];
  private final TransportCcRecorder recorder = new TransportCcRecorder();

  @Test
  void reportsAnInOrderRunWithOneRunLengthChunk() {
    for (int i = 0; i < 100; i++) {
      recorder.onPacket(1000 + i, T0_US + i * 1000L);
    }
    int n = recorder.writeFeedback(buf, 0, 1, 2, T0_US);
    assertEquals(0x2000 | 100, Bytes.readUint16(buf, 20), "run length chunk: 100 x received, small delta");
    assertEquals(124, n, "20 header + 2 chunk + 100 deltas, padded to 32 bits");
    CollectingListener c = parse(n);
    assertEquals(1000, c.baseSeq);
    assertEquals(100, c.receivedCount());
    assertArrivalsWithinQuantization(c, i -> T0_US + i * 1000L);
  }

  @Test
  void reportsAlternatingLossWithOneBitStatusVectors() {
    for (int i = 0; i < 28; i += 2) {
      recorder.onPacket(i, T0_US + i * 2000L);
    }
    recorder.onPacket(28, T0_US + 56_000);
    int n = recorder.writeFeedback(buf, 0, 1, 2, T0_US);
    assertEquals(0x8000 | 0b10101010101010, Bytes.readUint16(buf, 20), "1-bit vector: received, lost, ...");
    CollectingListener c = parse(n);
    assertEquals(29, c.statusCount);
    for (int i = 0; i < 29; i++) {
      assertEquals(i % 2 == 0, c.received.get(i), "status " + i);
    }
    assertArrivalsWithinQuantization(c, i -> T0_US + i * 2000L);
  }

  @Test
  void reportsLargeAndNegativeDeltasWithTwoBitStatusVectors() {
    long[] arrivals = {T0_US, T0_US + 300_000, T0_US + 290_000, T0_US + 291_000, -1, T0_US + 8_000_000,
        T0_US + 8_000_250};
    for (int i = 0; i < arrivals.length; i++) {
      if (arrivals[i] >= 0) {
        recorder.onPacket(500 + i, arrivals[i]);
      }
    }
    int n = recorder.writeFeedback(buf, 0, 1, 2, T0_US);
    // small, large (+300 ms), large (-10 ms), small, lost, large (+7.7 s), small
    assertEquals(0xC000 | 0b01_10_10_01_00_10_01, Bytes.readUint16(buf, 20));
    CollectingListener c = parse(n);
    for (int i = 0; i < arrivals.length; i++) {
      assertEquals(arrivals[i] >= 0, c.received.get(i));
      if (arrivals[i] >= 0) {
        assertEquals(arrivals[i], c.arrivalsUs.get(i), 125, "arrival " + i);
      }
    }
  }

  @Test
  void followsSequenceNumbersAcrossTheSixteenBitWrap() {
    for (int i = 0; i < 40; i++) {
      if (i != 10) {
        recorder.onPacket((65520 + i) & 0xffff, T0_US + i * 500L);
      }
    }
    CollectingListener c = parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US));
    assertEquals(65520, c.baseSeq);
    assertEquals(40, c.statusCount);
    assertEquals(23, c.seqs.get(39));
    assertFalse(c.received.get(10));
    assertArrivalsWithinQuantization(c, i -> T0_US + i * 500L);
    recorder.onPacket(24, T0_US + 40_000);
    assertEquals(24, parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US)).baseSeq);
  }

  @Test
  void followsTheReferenceTimeAcrossItsTwentyFourBitWrap() {
    long wrapUs = (1L << 24) * 64_000;
    long startUs = wrapUs - 100_000; // 100 ms before the reference time wraps
    long refTicks = Long.MIN_VALUE;
    for (int batch = 0; batch < 4; batch++) {
      for (int i = 0; i < 20; i++) {
        int k = batch * 20 + i;
        recorder.onPacket(k, startUs + k * 2_500L);
      }
      CollectingListener c = parse(recorder.writeFeedback(buf, 0, 1, 2, startUs));
      refTicks = TransportCcParser.unwrapReferenceTime(refTicks, c.referenceTime);
      long offsetUs = (refTicks - c.referenceTime) * 64_000;
      for (int i = 0; i < 20; i++) {
        long expected = startUs + (batch * 20 + i) * 2_500L;
        assertEquals(expected, c.arrivalsUs.get(i) + offsetUs, 125, "batch " + batch + " packet " + i);
      }
    }
    assertTrue(refTicks >= 1 << 24, "the last batch is past the wrap");
  }

  @Test
  void reportsGapsAsNotReceivedAndLatePacketsOnlyIfStillUnreported() {
    recorder.onPacket(1, T0_US);
    recorder.onPacket(4, T0_US + 3000);
    recorder.onPacket(3, T0_US + 3500); // reordered, before any feedback: still reported
    CollectingListener c = parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US));
    assertEquals(List.of(true, false, true, true), c.received);
    recorder.onPacket(2, T0_US + 4000); // its feedback said "not received": too late now
    assertEquals(1, recorder.latePackets());
    recorder.onPacket(4, T0_US + 4100);
    assertEquals(2, recorder.latePackets(), "a duplicate of an already reported packet is late too");
    assertEquals(0, recorder.writeFeedback(buf, 0, 1, 2, T0_US), "nothing new");
    recorder.onPacket(5, T0_US + 5000);
    recorder.onPacket(5, T0_US + 5001);
    assertEquals(1, recorder.duplicatePackets());
    assertEquals(1, parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US)).statusCount);
  }

  @Test
  void startsTheFirstFeedbackAtTheLowestSequenceNumberEvenIfItCameSecond() {
    recorder.onPacket(11, T0_US);
    recorder.onPacket(10, T0_US + 100);
    CollectingListener c = parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US));
    assertEquals(10, c.baseSeq);
    assertEquals(List.of(true, true), c.received);
  }

  @Test
  void countsFeedbackPacketsModulo256() {
    for (int i = 0; i < 300; i++) {
      recorder.onPacket(i, T0_US + i * 1000L);
      assertEquals(i & 0xff, parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US)).feedbackCount);
    }
  }

  @Test
  void splitsLongBurstsIntoPacketsOfAtMost1200Bytes() {
    long t = T0_US;
    for (int i = 0; i < 3000; i++) {
      t += (i % 3 == 0) ? 70_000 : 1_000; // every third delta needs 2 bytes
      if (i % 50 != 7) {
        recorder.onPacket(i, t);
      }
    }
    List<Boolean> all = new ArrayList<>();
    int expectedBase = 0;
    int packets = 0;
    for (int n; (n = recorder.writeFeedback(buf, 0, 1, 2, T0_US)) > 0; packets++) {
      assertTrue(n <= TransportCcRecorder.MAX_FEEDBACK_BYTES, "size " + n);
      CollectingListener c = parse(n);
      assertEquals(expectedBase, c.baseSeq, "feedback packets are contiguous");
      expectedBase += c.statusCount;
      all.addAll(c.received);
    }
    assertTrue(packets >= 4, "split into " + packets);
    assertEquals(3000, all.size());
    for (int i = 0; i < 3000; i++) {
      assertEquals(i % 50 != 7, all.get(i), "status " + i);
    }
  }

  @Test
  void startsANewFeedbackWhenADeltaOverflowsSixteenBits() {
    recorder.onPacket(1, T0_US);
    recorder.onPacket(2, T0_US + 9_000_000); // 9 s > 8191.75 ms
    CollectingListener first = parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US));
    assertEquals(1, first.statusCount);
    CollectingListener second = parse(recorder.writeFeedback(buf, 0, 1, 2, T0_US));
    assertEquals(2, second.baseSeq);
    assertEquals(T0_US + 9_000_000, second.arrivalsUs.get(0), 125);
  }

  @Test
  void isDueAfterTheIntervalOrAfterEnoughPackets() {
    TransportCcRecorder r = new TransportCcRecorder(50_000, 10);
    assertFalse(r.feedbackDue(T0_US), "nothing recorded");
    r.onPacket(1, T0_US);
    assertFalse(r.feedbackDue(T0_US + 49_000));
    assertTrue(r.feedbackDue(T0_US + 50_000), "50 ms after the first packet");
    r.writeFeedback(buf, 0, 1, 2, T0_US + 50_000);
    for (int i = 2; i <= 10; i++) {
      r.onPacket(i, T0_US + 50_000 + i);
      assertFalse(r.feedbackDue(T0_US + 50_100), "only " + (i - 1) + " packets");
    }
    r.onPacket(11, T0_US + 50_100);
    assertTrue(r.feedbackDue(T0_US + 50_100), "10 packets");
    r.writeFeedback(buf, 0, 1, 2, T0_US + 50_100);
    assertFalse(r.feedbackDue(T0_US + 500_000), "nothing new, however long ago");
  }

  @Test
  void forgetsWhatDoesNotFitTheWindowWhenFeedbackIsNotWritten() {
    int total = TransportCcRecorder.WINDOW + 100;
    for (int i = 0; i < total; i++) {
      recorder.onPacket(i, T0_US + i * 100L);
    }
    assertEquals(100, recorder.overflowedPackets());
    int covered = 0;
    int base = -1;
    for (int n; (n = recorder.writeFeedback(buf, 0, 1, 2, T0_US)) > 0; ) {
      CollectingListener c = parse(n);
      base = base < 0 ? c.baseSeq : base;
      covered += c.statusCount;
    }
    assertEquals(100, base);
    assertEquals(TransportCcRecorder.WINDOW, covered);
  }

  @Test
  void writesNothingIntoABufferTooSmallForAChunk() {
    recorder.onPacket(1, T0_US);
    assertEquals(0, recorder.writeFeedback(new byte[20], 0, 1, 2, T0_US));
    assertEquals(24, recorder.writeFeedback(new byte[40], 0, 1, 2, T0_US));
  }

  private CollectingListener parse(int n) {
    assertTrue(n > 0, "a feedback was written");
    assertEquals(0, n % 4);
    CollectingListener c = new CollectingListener();
    assertTrue(TransportCcParser.parse(buf, 0, n, c), "parses");
    assertEquals(c.statusCount, c.seqs.size());
    return c;
  }

  private static void assertArrivalsWithinQuantization(CollectingListener c, java.util.function.IntToLongFunction f) {
    for (int i = 0; i < c.seqs.size(); i++) {
      if (c.received.get(i)) {
        assertEquals(f.applyAsLong(i), c.arrivalsUs.get(i), 125, "arrival " + i);
      }
    }
  }
}
