package io.projector.sfu.session;

import io.projector.sfu.bwe.SendSideEstimator;

/**
 * Turns a viewer's bandwidth estimate into the budget its simulcast layer is chosen with. An estimate only knows
 * what was sent, so a viewer on a low layer could never prove it can take a higher one: while the path is clean
 * (little loss, no queue building) for long enough, the budget is opened so the selector tries the next layer up.
 * If that brings congestion, the estimate falls, the selector steps down, and the next attempt waits twice as
 * long (up to 30 s) — climbing back is quick on a good path and does not flap on a bad one.
 */
final class ViewerBandwidth {
  static final double CLEAN_LOSS = 0.02;
  /** Queueing below this is jitter on a busy host, not congestion worth a lower resolution. */
  static final long CLEAN_QUEUE_US = 40_000;
  static final long FIRST_PROBE_WAIT_MS = 2_000;
  static final long MAX_PROBE_WAIT_MS = 30_000;

  /** A new viewer starts as if the path had always been clean: it gets the top layer unless feedback says no. */
  private long cleanSinceMs = Long.MIN_VALUE / 4;
  private long probeWaitMs = FIRST_PROBE_WAIT_MS;
  private long lastCongestionMs = Long.MIN_VALUE / 2;
  private long lastProbeMs = Long.MIN_VALUE / 2;

  /** The budget (bit/s) for layer selection now; unbounded without feedback. */
  long availableBps(SendSideEstimator bwe, long nowMs, long nowUs) {
    if (bwe == null) {
      return Long.MAX_VALUE;
    }
    long estimate = bwe.estimateBps(nowUs);
    boolean clean = bwe.lossFraction() < CLEAN_LOSS && bwe.queueDelayUs() < CLEAN_QUEUE_US;
    if (!clean) {
      if (nowMs - lastProbeMs < 5_000 && nowMs - lastCongestionMs > 1_000) {
        probeWaitMs = Math.min(MAX_PROBE_WAIT_MS, probeWaitMs * 2); // the last climb did not hold
      }
      lastCongestionMs = nowMs;
      cleanSinceMs = -1;
      return estimate;
    }
    if (cleanSinceMs < 0) {
      cleanSinceMs = nowMs;
    }
    if (nowMs - lastCongestionMs > 30_000) {
      probeWaitMs = FIRST_PROBE_WAIT_MS;
    }
    if (nowMs - cleanSinceMs >= probeWaitMs) {
      lastProbeMs = nowMs;
      return Long.MAX_VALUE;
    }
    return estimate;
  }
}
