package io.projector.sfu.forward;

import java.util.Arrays;

/**
 * Finds packets of one presenter stream lost on the way to the SFU and says which to ask for again (generic
 * NACK), so that every viewer gets the repair at once instead of each one losing the same packet.
 *
 * <p>Every received sequence number goes to {@link #onPacket}; a jump forward marks the numbers in between
 * missing. {@link #collect} (from the worker's tick) returns those due: first a short reorder window after the
 * gap was seen (a packet that is merely late should not cost a NACK), then again every max(rttMs, 20 ms) because
 * a repair cannot arrive sooner, at most maxRetries times. A packet that arrives after all (late or repaired via
 * RTX, unwrapped by the caller) stops being asked for. Packets are given up when retries run out or when they
 * fall further back than maxAgePackets / maxAgeMs: by then viewers' decoders have moved on.
 *
 * <p>Too much loss is cheaper to repair with a keyframe than with NACKs, and a packet given up leaves every
 * viewer's decoder broken until the next keyframe: both set {@link #keyframeAdvised()}, which stays set until
 * {@link #onKeyframe} (the caller's keyframe requester merges repeated requests).
 *
 * <p>Fixed memory (a ring of {@value #CAPACITY} slots indexed by extended sequence number), no allocation per
 * packet. Owned by the session's worker thread; time is a parameter.
 */
public final class NackGenerator {
  /** Ring size; bounds maxAgePackets. A power of two so the slot is a mask of the extended sequence number. */
  public static final int CAPACITY = 1024;
  private static final long EMPTY = -1;
  /** A packet this far behind the newest is not late but a renumbered stream (same SSRC, new start). */
  private static final int RENUMBER_BEHIND = 0x4000;

  /**
   * @param reorderWindowMs time a gap may be a reordering before it is asked for
   * @param minRetryIntervalMs floor of the retry interval when the RTT is small or unknown
   * @param maxRetries requests per packet before giving up
   * @param maxAgePackets how far behind the newest packet a missing one is still asked for (≤ CAPACITY)
   * @param maxAgeMs how long after its gap was seen a missing packet is still asked for
   * @param maxMissing more missing packets than this at once are left to a keyframe (≤ maxAgePackets)
   */
  public record Settings(long reorderWindowMs, long minRetryIntervalMs, int maxRetries, int maxAgePackets,
      long maxAgeMs, int maxMissing) {
    public static final Settings DEFAULT = new Settings(5, 20, 10, 1000, 1000, 500);

    public Settings {
      if (maxAgePackets < 1 || maxAgePackets > CAPACITY || maxRetries < 1 || maxMissing < 1
          || maxMissing > maxAgePackets) {
        throw new IllegalArgumentException("NACK settings need 1 <= maxMissing <= maxAgePackets <= " + CAPACITY
            + " and maxRetries >= 1");
      }
    }
  }

  private final Settings settings;
  private final long[] missingExt = new long[CAPACITY];
  private final long[] seenMs = new long[CAPACITY];
  private final long[] dueMs = new long[CAPACITY];
  private final int[] requests = new int[CAPACITY];

  private boolean started;
  private long highestExt;
  /** No missing packet has an extended sequence number below this (a scan start, not exact). */
  private long oldestMissingExt;
  private int missingCount;
  private boolean keyframeAdvised;

  private long packetsMissing;
  private long requestsSent;
  private long recovered;
  private long reordered;
  private long givenUp;
  private long keyframeAdvices;

  public NackGenerator() {
    this(Settings.DEFAULT);
  }

  public NackGenerator(Settings settings) {
    this.settings = settings;
    Arrays.fill(missingExt, EMPTY);
  }

  /** Records a received packet (media or unwrapped RTX), after SRTP authentication. */
  public void onPacket(int seq, long nowMs) {
    seq &= 0xffff;
    if (!started) {
      started = true;
      highestExt = 0x10000 + seq; // so packets older than the first still have a non-negative extended number
      oldestMissingExt = highestExt + 1;
      return;
    }
    int ahead = (seq - (int) (highestExt & 0xffff)) & 0xffff;
    if (ahead == 0) {
      return; // duplicate of the newest
    }
    if (ahead < 0x8000) {
      onNewer(highestExt + ahead, nowMs);
      return;
    }
    int behind = 0x10000 - ahead;
    if (behind >= RENUMBER_BEHIND) {
      highestExt -= behind; // kept ≥ 65536, so packets older than it still get non-negative numbers
      if (highestExt < 0x10000) {
        highestExt += 0x10000;
      }
      clearMissing();
      return;
    }
    long ext = highestExt - behind;
    int slot = (int) (ext & (CAPACITY - 1));
    if (missingExt[slot] == ext) {
      if (requests[slot] > 0) {
        recovered++;
      } else {
        reordered++;
      }
      missingExt[slot] = EMPTY;
      missingCount--;
    }
  }

  private void onNewer(long ext, long nowMs) {
    long first = highestExt + 1;
    long gap = ext - first;
    highestExt = ext;
    if (missingCount + gap > settings.maxMissing()) {
      // A NACK storm would cost the presenter more than one keyframe and arrive later; stop asking.
      packetsMissing += gap;
      clearMissing();
      adviseKeyframe();
      return;
    }
    for (long e = first; e <= ext; e++) {
      int slot = (int) (e & (CAPACITY - 1));
      if (missingExt[slot] != EMPTY) {
        giveUp(slot); // still missing a whole ring later: long past maxAgePackets, and collect did not run
      }
      if (e < ext) {
        missingExt[slot] = e;
        seenMs[slot] = nowMs;
        dueMs[slot] = nowMs + settings.reorderWindowMs();
        requests[slot] = 0;
        missingCount++;
        packetsMissing++;
      }
    }
  }

  /**
   * Writes the sequence numbers to ask for now into out, oldest first (as {@link io.projector.sfu.rtcp.Nack#write}
   * packs best), and schedules their next retry. When out is full the rest stay due for the next call.
   *
   * @param rttMs round-trip time to the presenter, or 0 when unknown
   * @return how many were written
   */
  public int collect(long nowMs, long rttMs, int[] out) {
    if (missingCount == 0) {
      return 0;
    }
    long retryMs = Math.max(rttMs, settings.minRetryIntervalMs());
    long from = Math.max(oldestMissingExt, highestExt - CAPACITY + 1);
    long oldestLeft = highestExt + 1;
    int count = 0;
    for (long e = from; e < highestExt && missingCount > 0; e++) {
      int slot = (int) (e & (CAPACITY - 1));
      if (missingExt[slot] != e) {
        continue;
      }
      if (highestExt - e > settings.maxAgePackets() || nowMs - seenMs[slot] > settings.maxAgeMs()
          || (nowMs >= dueMs[slot] && requests[slot] >= settings.maxRetries())) {
        giveUp(slot);
        continue;
      }
      if (nowMs >= dueMs[slot] && count < out.length) {
        out[count++] = (int) (e & 0xffff);
        requests[slot]++;
        requestsSent++;
        dueMs[slot] = nowMs + retryMs;
      }
      oldestLeft = Math.min(oldestLeft, e);
    }
    oldestMissingExt = oldestLeft;
    return count;
  }

  /**
   * A keyframe started at seq: the advice is served, and packets before it are not worth asking for any more,
   * since whatever they would have repaired the keyframe repairs.
   */
  public void onKeyframe(int seq) {
    keyframeAdvised = false;
    if (!started || missingCount == 0) {
      return;
    }
    int behind = ((int) (highestExt & 0xffff) - (seq & 0xffff)) & 0xffff;
    if (behind >= 0x8000) {
      return; // not a packet we have seen
    }
    long keyExt = highestExt - behind;
    for (long e = Math.max(oldestMissingExt, highestExt - CAPACITY + 1); e < keyExt; e++) {
      int slot = (int) (e & (CAPACITY - 1));
      if (missingExt[slot] == e) {
        missingExt[slot] = EMPTY;
        missingCount--;
      }
    }
  }

  private void giveUp(int slot) {
    missingExt[slot] = EMPTY;
    missingCount--;
    givenUp++;
    adviseKeyframe();
  }

  private void adviseKeyframe() {
    if (!keyframeAdvised) {
      keyframeAdvised = true;
      keyframeAdvices++;
    }
  }

  private void clearMissing() {
    Arrays.fill(missingExt, EMPTY);
    missingCount = 0;
    oldestMissingExt = highestExt + 1;
  }

  /** Whether a keyframe would now repair more than NACKs can; stays true until {@link #onKeyframe}. */
  public boolean keyframeAdvised() {
    return keyframeAdvised;
  }

  public int missingCount() {
    return missingCount;
  }

  /** Sequence numbers found missing (gaps), including those left to a keyframe. */
  public long packetsMissing() {
    return packetsMissing;
  }

  /** Sequence numbers requested, retries included. */
  public long requestsSent() {
    return requestsSent;
  }

  /** Missing packets that arrived after being requested (a late original or an RTX repair). */
  public long recovered() {
    return recovered;
  }

  /** Missing packets that arrived before being requested: reordering, no NACK spent. */
  public long reordered() {
    return reordered;
  }

  public long givenUp() {
    return givenUp;
  }

  public long keyframeAdvices() {
    return keyframeAdvices;
  }
}
