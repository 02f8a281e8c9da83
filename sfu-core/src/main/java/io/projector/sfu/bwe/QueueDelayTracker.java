package io.projector.sfu.bwe;

/**
 * Queuing delay and its trend from one-way delay samples (arrival on the receiver's clock minus send time on
 * ours: the clock offset is unknown but constant, so only changes matter).
 *
 * <ul>
 *   <li>Baseline: the minimum sample of the last 5 to 10 s (two alternating 5 s windows), i.e. the path's
 *       delay with empty queues. Forgetting old minimums lets the baseline follow route changes and drift.</li>
 *   <li>Queue: sample minus baseline, smoothed (each sample is the minimum of one feedback packet, which
 *       already removes the spread inside a burst that the bottleneck serializes).</li>
 *   <li>Rise: how much the smoothed queue grew over the last interval of at least 100 ms, scaled to 100 ms.
 *       A growing queue means we send faster than the bottleneck drains, before any loss.</li>
 * </ul>
 */
final class QueueDelayTracker {
  static final long BASELINE_WINDOW_US = 5_000_000;
  static final long RISE_INTERVAL_US = 100_000;
  private static final double SMOOTHING = 0.5;

  private boolean started;
  private long currentMinUs;
  private long previousMinUs;
  private long windowStartUs;
  private double queueUs;
  private double riseReferenceUs;
  private long riseReferenceTimeUs;
  private double riseUsPer100Ms;

  void onSample(long delayUs, long nowUs) {
    if (!started) {
      started = true;
      currentMinUs = delayUs;
      previousMinUs = delayUs;
      windowStartUs = nowUs;
      riseReferenceTimeUs = nowUs;
    }
    if (nowUs - windowStartUs >= BASELINE_WINDOW_US) {
      previousMinUs = currentMinUs;
      currentMinUs = delayUs;
      windowStartUs = nowUs;
    }
    currentMinUs = Math.min(currentMinUs, delayUs);
    long baselineUs = Math.min(currentMinUs, previousMinUs);
    queueUs += SMOOTHING * ((delayUs - baselineUs) - queueUs);
    long elapsedUs = nowUs - riseReferenceTimeUs;
    if (elapsedUs >= RISE_INTERVAL_US) {
      riseUsPer100Ms = (queueUs - riseReferenceUs) * RISE_INTERVAL_US / elapsedUs;
      riseReferenceUs = queueUs;
      riseReferenceTimeUs = nowUs;
    }
  }

  /** Smoothed queuing delay above the baseline. */
  long queueUs() {
    return (long) queueUs;
  }

  /** Growth of the queuing delay per 100 ms over the last measured interval (negative while it drains). */
  long riseUsPer100Ms() {
    return (long) riseUsPer100Ms;
  }
}
