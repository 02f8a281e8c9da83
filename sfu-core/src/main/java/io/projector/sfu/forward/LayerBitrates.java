package io.projector.sfu.forward;

import java.util.Arrays;

/**
 * Receive rate per (layer, temporal layer) over a sliding window of {@value #WINDOW_MS} ms, kept in
 * {@value #BUCKET_MS} ms buckets in preallocated arrays so that recording a packet allocates nothing. The newest
 * bucket is still filling, so a steady rate reads 90-100 % of its value: an underestimate of at most one bucket,
 * which the selector's headroom absorbs. Owned by the session's worker thread.
 */
final class LayerBitrates {
  static final long WINDOW_MS = 1000;
  static final long BUCKET_MS = 100;
  static final int TIDS = 4;

  private static final int BUCKETS = (int) (WINDOW_MS / BUCKET_MS);
  private static final long EMPTY = Long.MIN_VALUE;

  /** epoch[layer * BUCKETS + slot] = which BUCKET_MS interval the slot holds. */
  private final long[] epoch;
  /** bytes[(layer * BUCKETS + slot) * TIDS + tid]. */
  private final long[] bytes;

  LayerBitrates(int layers) {
    epoch = new long[layers * BUCKETS];
    bytes = new long[layers * BUCKETS * TIDS];
    Arrays.fill(epoch, EMPTY);
  }

  /** Counts a packet of {@code lengthBytes}; tid is clamped to 0..3. */
  void add(int layer, int tid, int lengthBytes, long nowMs) {
    long e = Math.floorDiv(nowMs, BUCKET_MS);
    int slot = layer * BUCKETS + (int) Math.floorMod(e, (long) BUCKETS);
    if (epoch[slot] != e) {
      epoch[slot] = e;
      Arrays.fill(bytes, slot * TIDS, slot * TIDS + TIDS, 0);
    }
    bytes[slot * TIDS + Math.max(0, Math.min(tid, TIDS - 1))] += lengthBytes;
  }

  /** Bits per second of temporal layers 0..maxTid of the layer over the window ending now. */
  long bitrateBps(int layer, int maxTid, long nowMs) {
    long newest = Math.floorDiv(nowMs, BUCKET_MS);
    int top = Math.max(0, Math.min(maxTid, TIDS - 1));
    long sum = 0;
    for (int b = 0; b < BUCKETS; b++) {
      int slot = layer * BUCKETS + b;
      if (epoch[slot] != EMPTY && newest - epoch[slot] >= 0 && newest - epoch[slot] < BUCKETS) {
        for (int t = 0; t <= top; t++) {
          sum += bytes[slot * TIDS + t];
        }
      }
    }
    return sum * 8 * 1000 / WINDOW_MS;
  }

  /** Forgets the layer's history (its SSRC changed: the old encoder's rate says nothing about the new one). */
  void reset(int layer) {
    Arrays.fill(epoch, layer * BUCKETS, (layer + 1) * BUCKETS, EMPTY);
  }
}
