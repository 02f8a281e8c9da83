package io.projector.loadtest.measure;

/**
 * A histogram of delays in microseconds: 10 µs buckets up to 100 ms, 1 ms buckets up to 10 s, one overflow
 * bucket beyond. Percentiles are accurate to the bucket width, which is what a 20 ms threshold needs.
 * Thread-safe (recorded from the receive loop, read by the reporter); the lock is uncontended in practice.
 */
public final class DelayHistogram {
  private static final int FINE_US = 10;
  private static final int FINE_LIMIT_US = 100_000;
  private static final int COARSE_US = 1_000;
  private static final int COARSE_LIMIT_US = 10_000_000;
  private static final int FINE_BUCKETS = FINE_LIMIT_US / FINE_US;
  private static final int COARSE_BUCKETS = (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_US;

  private final long[] counts = new long[FINE_BUCKETS + COARSE_BUCKETS + 1];
  private long total;
  private long maxUs;
  private long sumUs;

  public synchronized void record(long delayUs) {
    long d = Math.max(0, delayUs);
    counts[bucket(d)]++;
    total++;
    sumUs += d;
    maxUs = Math.max(maxUs, d);
  }

  /** Adds every sample of {@code other} to this one. */
  public synchronized void addAll(DelayHistogram other) {
    synchronized (other) {
      for (int i = 0; i < counts.length; i++) {
        counts[i] += other.counts[i];
      }
      total += other.total;
      sumUs += other.sumUs;
      maxUs = Math.max(maxUs, other.maxUs);
    }
  }

  /** A copy of the samples so far, and this histogram emptied: one measurement window. */
  public synchronized DelayHistogram drain() {
    DelayHistogram copy = new DelayHistogram();
    copy.addAll(this);
    java.util.Arrays.fill(counts, 0);
    total = 0;
    sumUs = 0;
    maxUs = 0;
    return copy;
  }

  public synchronized long count() {
    return total;
  }

  public synchronized long maxUs() {
    return maxUs;
  }

  public synchronized double meanUs() {
    return total == 0 ? 0 : (double) sumUs / total;
  }

  /**
   * The smallest delay such that at least {@code percentile}% of the samples are at or below it, reported as
   * the upper edge of its bucket (so a 20 ms threshold is never flattered); 0 when empty.
   */
  public synchronized long percentileUs(double percentile) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(percentile / 100.0 * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return Math.min(upperEdgeUs(i), maxUs);
      }
    }
    return maxUs;
  }

  private static int bucket(long us) {
    if (us < FINE_LIMIT_US) {
      return (int) (us / FINE_US);
    }
    if (us < COARSE_LIMIT_US) {
      return FINE_BUCKETS + (int) ((us - FINE_LIMIT_US) / COARSE_US);
    }
    return FINE_BUCKETS + COARSE_BUCKETS;
  }

  private static long upperEdgeUs(int bucket) {
    if (bucket < FINE_BUCKETS) {
      return (bucket + 1L) * FINE_US;
    }
    if (bucket < FINE_BUCKETS + COARSE_BUCKETS) {
      return FINE_LIMIT_US + (bucket - FINE_BUCKETS + 1L) * COARSE_US;
    }
    return Long.MAX_VALUE;
  }
}
