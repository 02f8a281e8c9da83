package io.projector.sfu.bwe;

/**
 * Bytes delivered per second over the last second, on the receiver's clock (the arrival times in transport
 * feedback), so the rate is what the bottleneck actually passed, free of feedback timing jitter. Ten 100 ms
 * buckets in a ring; the newest, still filling bucket is left out of the rate.
 */
final class DeliveryRate {
  static final long BUCKET_US = 100_000;
  static final int BUCKETS = 10;
  private static final int RING = 16; // > BUCKETS, so a bucket is not reused while it is still counted
  private static final long NONE = Long.MIN_VALUE;

  private final long[] ids = new long[RING];
  private final long[] bytes = new long[RING];
  private long first = NONE;
  private long latest = NONE;

  DeliveryRate() {
    java.util.Arrays.fill(ids, NONE);
  }

  void add(long arrivalUs, int sizeBytes) {
    long id = Math.floorDiv(arrivalUs, BUCKET_US);
    if (latest == NONE) {
      first = id;
      latest = id;
    } else if (id <= latest - RING) {
      return; // reported far out of order: its bucket is gone
    } else if (id > latest) {
      latest = id;
    }
    int slot = (int) (id & (RING - 1));
    if (ids[slot] != id) {
      ids[slot] = id;
      bytes[slot] = 0;
    }
    bytes[slot] += sizeBytes;
  }

  /** Delivered bits per second over the last complete buckets (up to one second), or -1 before the first. */
  long bps() {
    return bps(BUCKETS);
  }

  /** Delivered bits per second over the last {@code buckets} complete buckets (fewer at the start). */
  long bps(int buckets) {
    if (latest == NONE) {
      return -1;
    }
    long from = Math.max(first, latest - Math.min(buckets, BUCKETS));
    long to = latest - 1;
    if (to < from) {
      return -1;
    }
    long sum = 0;
    for (long id = from; id <= to; id++) {
      int slot = (int) (id & (RING - 1));
      if (ids[slot] == id) {
        sum += bytes[slot];
      }
    }
    return sum * 8 * 1_000_000 / ((to - from + 1) * BUCKET_US);
  }
}
