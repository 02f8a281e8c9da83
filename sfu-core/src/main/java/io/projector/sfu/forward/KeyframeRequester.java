package io.projector.sfu.forward;

/**
 * Merges keyframe requests (viewers' PLI/FIR, joining viewers, layer switches) into at most one request to the
 * presenter per interval, so a crowd joining at once does not become a storm of PLIs that would make the
 * presenter's encoder send keyframe after keyframe. A request made inside the interval is not lost: it is sent
 * when the interval ends. Time is a parameter; owned by one thread.
 */
public final class KeyframeRequester {
  private final long minIntervalMs;
  private long lastSentMs = Long.MIN_VALUE / 2;
  private long lastServedMs = Long.MIN_VALUE / 2;
  private boolean pending;
  private long requestsMerged;

  public KeyframeRequester(long minIntervalMs) {
    this.minIntervalMs = minIntervalMs;
  }

  /** Records a request. Returns true when the caller must send a keyframe request now. */
  public boolean request(long nowMs) {
    if (nowMs - lastSentMs >= minIntervalMs) {
      lastSentMs = nowMs;
      pending = false;
      return true;
    }
    if (pending) {
      requestsMerged++;
    }
    pending = true;
    return false;
  }

  /** Called periodically. Returns true when a deferred request is due now. */
  public boolean poll(long nowMs) {
    if (pending && nowMs - lastSentMs >= minIntervalMs) {
      lastSentMs = nowMs;
      pending = false;
      return true;
    }
    return false;
  }

  /** A keyframe arrived from the presenter: an outstanding request has been served. */
  public void onKeyframe(long nowMs) {
    pending = false;
    lastServedMs = nowMs;
  }

  /**
   * Whether a keyframe is on its way: a request went out less than {@code windowMs} ago (or one is deferred) and
   * no keyframe has started since. A joining viewer can then wait for that one instead of asking again.
   */
  public boolean awaiting(long nowMs, long windowMs) {
    return pending || (lastSentMs > lastServedMs && nowMs - lastSentMs < windowMs);
  }

  public boolean pending() {
    return pending;
  }

  public long requestsMerged() {
    return requestsMerged;
  }
}
