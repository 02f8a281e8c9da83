package io.projector.sfu.session;

import io.projector.sfu.bwe.SendSideEstimator;

/**
 * Turns a viewer's bandwidth estimate into the budget its simulcast layer is chosen with.
 *
 * <ul>
 *   <li>An estimate only knows what was sent: a screen share that is mostly still sends far less than the path
 *       carries, so a clean path always sustains the layer the viewer is on.</li>
 *   <li>Congestion must last (300 ms) before the budget falls to the estimate: one delay spike on a busy host is
 *       not a reason to blur the viewer's text.</li>
 *   <li>Random loss up to 10 % is repaired by retransmission and is not congestion.</li>
 *   <li>After a clean period the budget opens one layer up (never straight to the top), so a climb is a small
 *       step. A path that never congested climbs after 2 s; once it has congested, after 10 s, doubling after each
 *       climb that did not hold (up to 60 s). Climbing back is quick on a good path and rare on a narrow one.</li>
 * </ul>
 */
final class ViewerBandwidth {
  static final double CLEAN_LOSS = 0.10;
  /** Queueing below this is jitter on a busy host, not congestion worth a lower resolution. */
  static final long CLEAN_QUEUE_US = 40_000;
  static final long CONGESTION_DEBOUNCE_MS = 300;
  static final long FIRST_PROBE_WAIT_MS = 2_000;
  /**
   * Once a path has shown congestion, a climb waits at least this long: each attempt sends the higher layer's
   * keyframe, a burst that a narrow path turns into a visible stall.
   */
  static final long PROBE_WAIT_AFTER_CONGESTION_MS = 10_000;
  static final long MAX_PROBE_WAIT_MS = 60_000;
  /** Budget factors chosen so the selector's 0.9 headroom keeps the current layer and its 1.2 margin allows the next. */
  static final double KEEP_FACTOR = 1.25;
  static final double STEP_UP_FACTOR = 1.4;

  private long cleanSinceMs = -1;
  private long congestedSinceMs = -1;
  private long probeWaitMs = FIRST_PROBE_WAIT_MS;
  private long lastCongestionMs = Long.MIN_VALUE / 2;
  private long lastProbeMs = Long.MIN_VALUE / 2;

  /**
   * The budget (bit/s) for layer selection now.
   *
   * @param currentLayerBps bitrate of the layer the viewer receives (0 when it has none yet)
   * @param nextLayerBps bitrate of the layer above it (0 when there is none)
   */
  long budgetBps(SendSideEstimator bwe, long nowMs, long nowUs, long currentLayerBps, long nextLayerBps) {
    if (bwe == null || currentLayerBps <= 0) {
      return Long.MAX_VALUE; // no feedback, or joining: start on the top layer
    }
    long estimate = bwe.estimateBps(nowUs);
    long keep = Math.max(estimate, (long) (currentLayerBps * KEEP_FACTOR));
    boolean clean = bwe.lossFraction() < CLEAN_LOSS && bwe.queueDelayUs() < CLEAN_QUEUE_US;
    if (!clean) {
      if (congestedSinceMs < 0) {
        congestedSinceMs = nowMs;
      }
      cleanSinceMs = -1;
      if (nowMs - congestedSinceMs < CONGESTION_DEBOUNCE_MS) {
        return keep;
      }
      if (nowMs - lastProbeMs < 5_000 && nowMs - lastCongestionMs > 1_000) {
        probeWaitMs = Math.min(MAX_PROBE_WAIT_MS, probeWaitMs * 2); // the last climb did not hold
      }
      probeWaitMs = Math.max(probeWaitMs, PROBE_WAIT_AFTER_CONGESTION_MS);
      lastCongestionMs = nowMs;
      return estimate;
    }
    congestedSinceMs = -1;
    if (cleanSinceMs < 0) {
      cleanSinceMs = nowMs;
    }
    if (nowMs - lastCongestionMs > 120_000) {
      probeWaitMs = FIRST_PROBE_WAIT_MS; // a long clean spell: the path has changed
    }
    if (nextLayerBps > 0 && nowMs - cleanSinceMs >= probeWaitMs) {
      lastProbeMs = nowMs;
      return Math.max(keep, (long) (nextLayerBps * STEP_UP_FACTOR));
    }
    return keep;
  }
}
