package io.projector.loadtest.measure;

/**
 * What one viewer received of one RTP stream, by sequence number: gaps become missing entries that a NACK may
 * still repair (a retransmission fills them), and missing entries older than the loss timeout count as lost.
 * Time is a parameter ({@code nowNs}); one thread drives an instance (the generator's receive loop).
 *
 * <p>The window holds {@value #WINDOW} sequence numbers. A jump forward by more than half of it (a server
 * restarting the stream, a stall of several seconds) is counted as lost at once rather than tracked.
 */
public final class SequenceTracker {
  static final int WINDOW = 4096;
  private static final int MASK = WINDOW - 1;

  private final long[] missingSinceNs = new long[WINDOW]; // 0: not missing
  private final byte[] nacksSent = new byte[WINDOW];
  private final long[] lastNackNs = new long[WINDOW];
  private long highest = -1; // extended sequence number (with the 16-bit wrap count)
  private long first = -1;
  private long received;
  private long duplicates;
  private long lost;
  private long recovered;
  private long tooLate;
  private int missingNow;

  /**
   * Records one packet (original or retransmitted).
   *
   * @return true when the packet was new (not a duplicate and not older than the window)
   */
  public boolean onPacket(int sequenceNumber, long nowNs) {
    if (highest < 0) {
      highest = sequenceNumber;
      first = sequenceNumber;
      received++;
      return true;
    }
    int delta = (short) (sequenceNumber - (int) (highest & 0xffff)); // signed 16-bit distance
    long extended = highest + delta;
    if (delta > 0) {
      if (delta > WINDOW / 2) {
        lost += delta - 1;
        clearWindow();
      } else {
        for (long s = highest + 1; s < extended; s++) {
          int i = (int) (s & MASK);
          expireSlot(i); // the slot's previous occupant, WINDOW numbers ago
          missingSinceNs[i] = nowNs == 0 ? 1 : nowNs;
          nacksSent[i] = 0;
          lastNackNs[i] = 0;
          missingNow++;
        }
        expireSlot((int) (extended & MASK));
      }
      highest = extended;
      received++;
      return true;
    }
    if (delta == 0 || -delta >= WINDOW || extended < first) {
      if (delta == 0) {
        duplicates++;
      } else {
        tooLate++;
      }
      return false;
    }
    int i = (int) (extended & MASK);
    if (missingSinceNs[i] == 0) {
      duplicates++;
      return false;
    }
    missingSinceNs[i] = 0;
    missingNow--;
    recovered++;
    received++;
    return true;
  }

  /** Counts as lost every gap that has been missing for at least {@code lossTimeoutNs}. */
  public void expire(long nowNs, long lossTimeoutNs) {
    if (missingNow == 0) {
      return;
    }
    for (int i = 0; i < WINDOW; i++) {
      long since = missingSinceNs[i];
      if (since != 0 && nowNs - since >= lossTimeoutNs) {
        missingSinceNs[i] = 0;
        missingNow--;
        lost++;
      }
    }
  }

  /**
   * Writes into {@code out} the 16-bit sequence numbers worth a NACK now: missing, NACKed fewer than
   * {@code maxNacks} times, the last time at least {@code retryNs} ago (browsers retry after about an RTT).
   *
   * @return how many were written (at most {@code out.length})
   */
  public int collectNacks(long nowNs, long retryNs, int maxNacks, int[] out) {
    if (missingNow == 0) {
      return 0;
    }
    int n = 0;
    for (long s = Math.max(first, highest - WINDOW + 1); s < highest && n < out.length; s++) {
      int i = (int) (s & MASK);
      if (missingSinceNs[i] != 0 && nacksSent[i] < maxNacks
          && (nacksSent[i] == 0 || nowNs - lastNackNs[i] >= retryNs)) {
        nacksSent[i]++;
        lastNackNs[i] = nowNs;
        out[n++] = (int) (s & 0xffff);
      }
    }
    return n;
  }

  /** Counts whatever is still missing as lost (at the end of a run). */
  public void finish() {
    expire(Long.MAX_VALUE / 2, 0);
  }

  private void expireSlot(int i) {
    if (missingSinceNs[i] != 0) {
      missingSinceNs[i] = 0;
      missingNow--;
      lost++;
    }
  }

  private void clearWindow() {
    for (int i = 0; i < WINDOW; i++) {
      expireSlot(i);
    }
  }

  /** Distinct packets received, retransmissions that filled a gap included. */
  public long received() {
    return received;
  }

  /** Packets that never arrived within the loss timeout. */
  public long lost() {
    return lost;
  }

  /** Gaps filled later (by retransmission or reordering). */
  public long recovered() {
    return recovered;
  }

  public long duplicates() {
    return duplicates;
  }

  /** Packets older than the window or than the first packet: ignored. */
  public long tooLate() {
    return tooLate;
  }

  /** Gaps currently waiting for a retransmission. */
  public int missingNow() {
    return missingNow;
  }

  /** Extended highest sequence number seen, or -1. */
  public long highest() {
    return highest;
  }

  /** Packets expected so far: from the first to the highest sequence number. */
  public long expected() {
    return highest < 0 ? 0 : highest - first + 1;
  }
}
