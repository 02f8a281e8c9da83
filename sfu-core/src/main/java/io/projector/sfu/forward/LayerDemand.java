package io.projector.sfu.forward;

import java.util.Arrays;

/**
 * Which simulcast layers the presenter should encode: advice for a presenter that can pause layers (the
 * Projector presenter page does, told over the events socket; other WHIP clients keep sending everything and
 * the selector simply has more to choose from).
 *
 * <p>Why: encoding costs per stream more than per pixel. Measured in Chromium on a two-core machine (a 1280×720
 * tab, see bench/glass-to-glass/README.md): one VP8 layer 3–5 ms per captured frame, the lowest and the top
 * 11 ms, all three 15–25 ms — a display frame of latency on every frame, for a layer nobody may be watching.
 *
 * <p>Policy:
 * <ul>
 *   <li>The lowest and the top layer are always sent. The top one is what viewers join on and what an
 *       unconstrained viewer watches. The lowest one because libwebrtc gives the lowest <em>active</em> stream of a
 *       screen share its screenshare treatment (a low base-layer rate, frames dropped): paused below it, the top
 *       layer alone ran at 0–3 frames per second in the lossy-link tests.</li>
 *   <li>A middle layer is sent while some viewer could use it ({@link LayerSelector#couldUse}): it is on it, or on
 *       a lower one and its caps allow it, or it is over budget on a higher one (so the layer is starting while
 *       the selector waits out its one-second down hold).</li>
 *   <li>Resumed at once, paused only after nobody could use it for {@link #PAUSE_AFTER_MS}: a viewer whose path
 *       recovers and falls back again must not wait for the layer's restart each time.</li>
 * </ul>
 * Pure logic, time comes in as an argument. Owned by the session's worker thread.
 */
public final class LayerDemand {
  public static final long PAUSE_AFTER_MS = 20_000;
  private static final long NEVER = Long.MIN_VALUE / 2;

  private final boolean[] active;
  private final long[] lastWantedMs;
  private boolean reported;

  /** For a presenter sending {@code layerCount} layers, all active until the first {@link #update}. */
  public LayerDemand(int layerCount) {
    if (layerCount < 1) {
      throw new IllegalArgumentException("layerCount must be at least 1");
    }
    active = new boolean[layerCount];
    Arrays.fill(active, true);
    lastWantedMs = new long[layerCount];
    Arrays.fill(lastWantedMs, NEVER);
  }

  public int layerCount() {
    return active.length;
  }

  /** Whether {@code layer} can be paused at all (a middle layer). */
  public boolean pausable(int layer) {
    return layer > 0 && layer < active.length - 1;
  }

  /**
   * Re-evaluates the advice.
   *
   * @param wantedNow per layer: whether some viewer could use it now (only middle layers are read)
   * @return true when the advice changed, and on the first call (the presenter has heard nothing yet)
   */
  public boolean update(long nowMs, boolean[] wantedNow) {
    boolean changed = !reported;
    reported = true;
    for (int layer = 1; layer < active.length - 1; layer++) {
      if (wantedNow[layer]) {
        lastWantedMs[layer] = nowMs;
      }
      boolean on = wantedNow[layer] || (active[layer] && nowMs - lastWantedMs[layer] < PAUSE_AFTER_MS);
      if (on != active[layer]) {
        active[layer] = on;
        changed = true;
      }
    }
    return changed;
  }

  /** Whether the presenter is advised to send {@code layer}. */
  public boolean active(int layer) {
    return active[layer];
  }
}
