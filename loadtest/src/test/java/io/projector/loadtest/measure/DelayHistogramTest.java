package io.projector.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {

  @Test
  void percentilesAreUpperBucketEdgesCappedAtTheMaximum() {
    DelayHistogram h = new DelayHistogram();
    for (int i = 1; i <= 100; i++) {
      h.record(i * 100L); // 0.1 .. 10 ms
    }
    assertEquals(5010, h.percentileUs(50), "50th sample is 5000 µs, reported as its bucket's upper edge");
    assertEquals(9910, h.percentileUs(99));
    assertEquals(10_000, h.percentileUs(100), "never above the largest sample");
    assertEquals(100, h.count());
    assertEquals(5050, h.meanUs(), 1e-9);
  }

  @Test
  void largeDelaysUseMillisecondBucketsAndOverflow() {
    DelayHistogram h = new DelayHistogram();
    h.record(250_400);
    h.record(20_000_000);
    assertEquals(251_000, h.percentileUs(50));
    assertEquals(20_000_000, h.percentileUs(100));
  }

  @Test
  void drainReturnsTheWindowAndEmpties() {
    DelayHistogram h = new DelayHistogram();
    h.record(1000);
    DelayHistogram window = h.drain();
    assertEquals(1, window.count());
    assertEquals(0, h.count());
    assertEquals(0, h.percentileUs(99));
  }
}
