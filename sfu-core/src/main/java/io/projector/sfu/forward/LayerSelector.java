package io.projector.sfu.forward;

import io.projector.sfu.rtp.Vp8Descriptor;

/**
 * Chooses which simulcast layer (and how many of its temporal layers) one viewer gets, for screen sharing.
 *
 * <p>Policy, in order:
 * <ol>
 *   <li><b>Resolution before frame rate.</b> Candidates are ranked (spatial layer, temporal layers): text on a
 *       shared screen is unreadable when scaled down but fine at a lower frame rate, so every temporal step of a
 *       layer is tried (all, ..., TID 0 only) before the next lower layer.
 *   <li><b>Budget.</b> A candidate fits when its measured receive rate is at most {@link #HEADROOM} of the
 *       viewer's estimated bandwidth: the estimate is noisy and RTCP, retransmissions and audio need room too.
 *   <li><b>Down quickly.</b> When the current target has been over budget for {@link #DOWN_HOLD_MS} ms, go to
 *       the best candidate that fits now (possibly several steps). One second rides out a keyframe or a
 *       scroll burst (a 1 s rate window spikes on them) yet reacts before the viewer's queue grows for long.
 *   <li><b>Up carefully, but in seconds.</b> Go up only when a higher candidate has fitted with a margin of
 *       {@link #UP_MARGIN} for {@link #UP_HOLD_MS} ms without a break; the lowest candidate that fitted through
 *       the whole period is taken, so a brief spike in the estimate does not overshoot. The margin above the
 *       down threshold keeps the two rules from fighting (no flapping).
 *   <li><b>Caps and inactive layers apply at once.</b> A viewer preference (max layer, "preview" = lowest,
 *       max height) and layers the presenter stopped sending are never waited on.
 *   <li>When nothing fits, the lowest candidate (lowest active layer, TID 0): a slow picture beats none.
 * </ol>
 *
 * <p>A new spatial layer can only be joined at its keyframe: {@link #switchPending()} tells the forwarder to ask
 * the presenter for one on {@code layers.ssrc(targetLayer())}; {@link Vp8Rewriter} performs the switch and the
 * forwarder reports it with {@link #onSwitched}. Temporal changes need no keyframe. Pure logic: time and
 * bandwidth come in as arguments; call {@link #select} on every tick. Owned by the session's worker thread.
 */
public final class LayerSelector {
  public static final double HEADROOM = 0.9;
  public static final double UP_MARGIN = 1.2;
  public static final long DOWN_HOLD_MS = 1000;
  public static final long UP_HOLD_MS = 2000;
  /** Target temporal id meaning "every temporal layer", also for streams without any. */
  public static final int ALL_TEMPORAL = Vp8Descriptor.MAX_TEMPORAL_ID;

  private static final int NONE = -1;
  private static final long NOT_SINCE = Long.MIN_VALUE;

  private boolean dropTemporalLayers = true;
  private int maxLayer = Integer.MAX_VALUE;
  private int maxHeightPx = Integer.MAX_VALUE;

  private int targetLayer = NONE;
  private int targetTid = ALL_TEMPORAL;
  private int currentLayer = NONE;
  private long overBudgetSinceMs = NOT_SINCE;
  private long upSinceMs = NOT_SINCE;
  /** Lowest rank that fitted with margin during the current up period. */
  private int upRank = NONE;
  private long switches;

  /**
   * Whether temporal steps are candidates (default true). Off, every layer is all-or-nothing: for a forwarder
   * that cannot yet close the sequence-number gaps dropped frames leave (viewers would NACK them).
   */
  public void setDropTemporalLayers(boolean enabled) {
    this.dropTemporalLayers = enabled;
  }

  /** Caps the choice to layers 0..maxLayer (0 = "preview": always the lowest layer). */
  public void setMaxLayer(int maxLayer) {
    this.maxLayer = Math.max(0, maxLayer);
  }

  /**
   * Caps the choice to layers whose keyframes showed at most this height (e.g. the viewer's video element).
   * Layers of unknown height are not chosen; if no layer qualifies the lowest is used.
   */
  public void setMaxHeightPx(int maxHeightPx) {
    this.maxHeightPx = maxHeightPx <= 0 ? Integer.MAX_VALUE : maxHeightPx;
  }

  public void clearPreference() {
    maxLayer = Integer.MAX_VALUE;
    maxHeightPx = Integer.MAX_VALUE;
  }

  /**
   * Re-evaluates the target.
   *
   * @param availableBps  the viewer's estimated available bandwidth (REMB / transport-cc), bits per second
   * @return the target layer, or -1 when no layer is active
   */
  public int select(long nowMs, long availableBps, SimulcastLayers layers) {
    int cap = capLayer(layers, nowMs);
    if (cap < 0) {
      reset();
      return NONE;
    }
    long budgetBps = (long) (availableBps * HEADROOM);
    int rank = rank(targetLayer, targetTid);
    if (targetLayer == NONE || targetLayer > cap || !layers.isActive(targetLayer, nowMs)) {
      setTarget(bestFitting(layers, cap, budgetBps, 1.0, nowMs)); // joining, capped, or gone
      return targetLayer;
    }
    if (layers.bitrateBps(targetLayer, targetTid, nowMs) > budgetBps) {
      if (overBudgetSinceMs == NOT_SINCE) {
        overBudgetSinceMs = nowMs;
      }
      upSinceMs = NOT_SINCE;
      if (nowMs - overBudgetSinceMs >= DOWN_HOLD_MS) {
        // min: leaving an over-budget target never means climbing, whatever odd rates higher layers show.
        setTarget(Math.min(rank, bestFitting(layers, cap, budgetBps, 1.0, nowMs)));
      }
      return targetLayer;
    }
    overBudgetSinceMs = NOT_SINCE;
    int better = bestFitting(layers, cap, budgetBps, UP_MARGIN, nowMs);
    if (better <= rank) {
      upSinceMs = NOT_SINCE;
      return targetLayer;
    }
    if (upSinceMs == NOT_SINCE) {
      upSinceMs = nowMs;
      upRank = better;
    } else {
      upRank = Math.min(upRank, better);
    }
    if (nowMs - upSinceMs >= UP_HOLD_MS) {
      setTarget(upRank);
    }
    return targetLayer;
  }

  /**
   * Whether this viewer would use {@code layer} if the presenter sent it ({@link LayerDemand}): the layer is
   * within the viewer's caps, and the viewer is on it or below it, or over budget on a higher one. A layer of
   * unknown height is taken to be half the height of the layer above it (the usual simulcast ladder), and to fit
   * when no height is known at all.
   */
  public boolean couldUse(int layer, SimulcastLayers layers) {
    if (targetLayer == NONE || layer > maxLayer) {
      return false;
    }
    if (maxHeightPx != Integer.MAX_VALUE && expectedHeightPx(layer, layers) > maxHeightPx) {
      return false;
    }
    return targetLayer <= layer || overBudgetSinceMs != NOT_SINCE;
  }

  private static int expectedHeightPx(int layer, SimulcastLayers layers) {
    for (int l = layer, shift = 0; l < layers.layerCount(); l++, shift++) {
      int h = layers.heightPx(l);
      if (h > 0) {
        return h >> shift;
      }
    }
    return 0;
  }

  /** Highest layer the preference allows that is active, or -1 when none is active. */
  private int capLayer(SimulcastLayers layers, long nowMs) {
    int lowestActive = NONE;
    int best = NONE;
    for (int layer = 0; layer < layers.layerCount(); layer++) {
      if (!layers.isActive(layer, nowMs)) {
        continue;
      }
      if (lowestActive == NONE) {
        lowestActive = layer;
      }
      int h = layers.heightPx(layer);
      boolean heightOk = maxHeightPx == Integer.MAX_VALUE || (h > 0 && h <= maxHeightPx);
      if (layer <= maxLayer && heightOk) {
        best = layer;
      }
    }
    return best != NONE ? best : lowestActive;
  }

  /**
   * The highest-ranked candidate at or below cap whose rate × margin fits the budget; the lowest candidate
   * when none does. Ranks order (layer, tid) so that every temporal step of a layer beats the layer below.
   */
  private int bestFitting(SimulcastLayers layers, int cap, long budgetBps, double margin, long nowMs) {
    int lowest = NONE;
    for (int layer = cap; layer >= 0; layer--) {
      if (!layers.isActive(layer, nowMs)) {
        continue;
      }
      int top = dropTemporalLayers ? layers.maxTemporalId(layer) : -1;
      if (layers.bitrateBps(layer, ALL_TEMPORAL, nowMs) * margin <= budgetBps) {
        return rank(layer, ALL_TEMPORAL);
      }
      for (int tid = top - 1; tid >= 0; tid--) {
        if (layers.bitrateBps(layer, tid, nowMs) * margin <= budgetBps) {
          return rank(layer, tid);
        }
      }
      lowest = rank(layer, top > 0 ? 0 : ALL_TEMPORAL);
    }
    return lowest;
  }

  private static int rank(int layer, int tid) {
    return layer < 0 ? NONE : layer * (ALL_TEMPORAL + 1) + tid;
  }

  private void setTarget(int rank) {
    overBudgetSinceMs = NOT_SINCE;
    upSinceMs = NOT_SINCE;
    if (rank == NONE) {
      return;
    }
    targetLayer = rank / (ALL_TEMPORAL + 1);
    targetTid = rank % (ALL_TEMPORAL + 1);
  }

  private void reset() {
    targetLayer = NONE;
    targetTid = ALL_TEMPORAL;
    overBudgetSinceMs = NOT_SINCE;
    upSinceMs = NOT_SINCE;
  }

  /** The forwarder's {@link Vp8Rewriter} switched the viewer to this layer (at its keyframe). */
  public void onSwitched(int layer) {
    if (layer != currentLayer) {
      currentLayer = layer;
      switches++;
    }
  }

  /** Layer to forward once its keyframe arrives, or -1. */
  public int targetLayer() {
    return targetLayer;
  }

  /** Highest TID to forward; {@link #ALL_TEMPORAL} for all. Passed to {@link Vp8Rewriter#rewrite}. */
  public int targetTemporalId() {
    return targetTid;
  }

  /** Layer the viewer is receiving now, or -1. */
  public int currentLayer() {
    return currentLayer;
  }

  /** Whether the viewer waits for a keyframe of the target layer (request one on its SSRC). */
  public boolean switchPending() {
    return targetLayer != NONE && targetLayer != currentLayer;
  }

  public long switches() {
    return switches;
  }
}
