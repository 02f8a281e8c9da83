package io.projector.sfu.forward;

import static io.projector.sfu.forward.LayerSelector.ALL_TEMPORAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.RtpPackets;
import io.projector.sfu.rtp.Vp8Payloads;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fake presenter sends three layers at fixed rates on a fake clock; the selector is asked every 20 ms tick. */
class LayerSelectorTest {
  private static final int RID = 10;
  private static final int Q = 0, H = 1, F = 2;
  private final long[] ssrc = {100, 200, 300};
  private static final int[] HEIGHT_PX = {270, 540, 1080};

  private final SimulcastLayers layers = new SimulcastLayers(List.of("q", "h", "f"), RID, -1);
  private final LayerSelector selector = new LayerSelector();
  /** Per layer: bits per second sent, 0 = stopped; and the share of it in TID 0 (1.0 = no temporal layers). */
  private final long[] rateBps = {150_000, 500_000, 1_500_000};
  private final double[] tid0Share = {1.0, 1.0, 1.0};
  private long nowMs;

  LayerSelectorTest() {
    for (int layer = 0; layer < 3; layer++) {
      byte[] key = RtpPackets.build(96, 1, 0, ssrc[layer], false, new int[][] {{RID, "qhf".charAt(layer)}},
          Vp8Payloads.keyframe().pictureId(1).size(HEIGHT_PX[layer] * 16 / 9, HEIGHT_PX[layer]).build());
      layers.onVp8Packet(key, 0, key.length, 0);
    }
  }

  /** The presenter has been sending for a second (a full rate window) when the viewer arrives. */
  private void start() {
    run(1000, -1);
  }

  /** Advances the clock by durationMs: packets every 10 ms, a selection every 20 ms (none when bps < 0). */
  private int run(long durationMs, long availableBps) {
    for (long end = nowMs + durationMs; nowMs < end; ) {
      nowMs += 10;
      for (int layer = 0; layer < 3; layer++) {
        long bytes = rateBps[layer] / 8 / 100;
        if (bytes == 0) {
          continue;
        }
        long base = Math.round(bytes * tid0Share[layer]);
        send(layer, base, tid0Share[layer] < 1.0 ? 0 : -1);
        if (bytes - base > 0) {
          send(layer, bytes - base, 1);
        }
      }
      if (nowMs % 20 == 0 && availableBps >= 0) {
        selector.select(nowMs, availableBps, layers);
      }
    }
    return selector.targetLayer();
  }

  private void send(int layer, long bytes, int tid) {
    byte[] p = RtpPackets.build(96, 1, 0, ssrc[layer], false, null, new byte[(int) bytes - 12]);
    layers.onPacket(p, 0, p.length, tid, false, nowMs);
  }

  /** Runs until the window is full at a generous bandwidth: the viewer sits on f. */
  private void settleOnF() {
    start();
    assertEquals(F, run(1500, 10_000_000));
    selector.onSwitched(F);
  }

  @Test
  void startsAtTheHighestLayerThatFitsTheBudget() {
    start();
    assertEquals(F, run(1000, 10_000_000));
    LayerSelector other = new LayerSelector();
    assertEquals(H, other.select(nowMs, 700_000, layers), "0.9 × 700k fits h (500k), not f");
    assertEquals(ALL_TEMPORAL, other.targetTemporalId());
  }

  @Test
  void goesDownAfterOneSecondOverBudget() {
    settleOnF();
    assertEquals(F, run(980, 1_000_000), "still riding out what could be a burst");
    assertEquals(H, run(40, 1_000_000), "one second over budget: down to what fits (0.9 × 1M ≥ 500k)");
  }

  @Test
  void goesDownSeveralLayersAtOnceWhenTheEstimateCollapses() {
    settleOnF();
    assertEquals(Q, run(1100, 300_000));
  }

  @Test
  void aShortDipDoesNotSwitch() {
    settleOnF();
    assertEquals(F, run(600, 1_000_000));
    assertEquals(F, run(3000, 10_000_000));
  }

  @Test
  void goesUpOnlyAfterTheEstimateExceedsTheHigherRateWithMarginForTwoSeconds() {
    start();
    assertEquals(H, run(1500, 1_000_000));
    selector.onSwitched(H);
    // 1.7M × 0.9 = 1.53M fits f (1.5M) but not with the 1.2 margin (1.8M): stay, no flapping.
    assertEquals(H, run(10_000, 1_700_000));
    assertEquals(H, run(1980, 2_200_000), "1.98M budget ≥ 1.2 × 1.5M, but not yet two seconds");
    assertEquals(F, run(40, 2_200_000));
  }

  @Test
  void aBreakInTheGoodEstimateRestartsTheTwoSecondWait() {
    start();
    assertEquals(H, run(1500, 1_000_000));
    run(1500, 2_200_000);
    run(100, 1_000_000);
    assertEquals(H, run(1500, 2_200_000));
    assertEquals(F, run(600, 2_200_000));
  }

  @Test
  void climbsOnlyAsFarAsTheEstimateAllowedThroughTheWholeWait() {
    start();
    assertEquals(Q, run(500, 300_000));
    run(1000, 800_000); // 720k budget: h with margin (600k), not f
    assertEquals(H, run(1020, 10_000_000), "two seconds of room for h, only one for f");
    assertEquals(F, run(2020, 10_000_000), "then two more seconds for f");
  }

  @Test
  void dropsTemporalLayersOfTheHighLayerBeforeDroppingToALowerLayer() {
    tid0Share[F] = 0.6; // f: 900k in TID 0, 600k in TID 1
    settleOnF();
    assertEquals(ALL_TEMPORAL, selector.targetTemporalId());
    assertEquals(F, run(1100, 1_100_000), "0.9 × 1.1M = 990k: f at TID 0 (900k) fits");
    assertEquals(0, selector.targetTemporalId());
    assertFalse(selector.switchPending(), "a temporal step needs no keyframe");
    assertEquals(H, run(1100, 600_000), "only now does resolution go");
    assertEquals(ALL_TEMPORAL, selector.targetTemporalId());
    selector.onSwitched(H);
    assertEquals(F, run(2100, 1_300_000), "back up to f TID 0 first (1.2 × 900k ≤ 1.17M)");
    assertEquals(0, selector.targetTemporalId());
  }

  @Test
  void withTemporalDroppingOffEveryLayerIsAllOrNothing() {
    tid0Share[F] = 0.6;
    selector.setDropTemporalLayers(false);
    settleOnF();
    assertEquals(H, run(1100, 1_100_000), "f at TID 0 would fit, but is not a candidate");
    assertEquals(ALL_TEMPORAL, selector.targetTemporalId());
  }

  @Test
  void waitsForTheTargetLayersKeyframeBeforeCountingTheSwitchAsDone() {
    settleOnF();
    assertEquals(F, selector.currentLayer());
    run(1100, 700_000);
    assertEquals(H, selector.targetLayer());
    assertEquals(F, selector.currentLayer(), "f is still forwarded until h's keyframe");
    assertTrue(selector.switchPending(), "the forwarder should ask for a keyframe on h's SSRC");
    assertEquals(ssrc[H], layers.ssrc(selector.targetLayer()));
    selector.onSwitched(H);
    assertFalse(selector.switchPending());
    assertEquals(H, selector.currentLayer());
  }

  @Test
  void honoursTheViewersPreferenceAtOnce() {
    settleOnF();
    selector.setMaxLayer(0); // "preview"
    assertEquals(Q, run(20, 10_000_000));
    selector.setMaxLayer(Integer.MAX_VALUE);
    selector.setMaxHeightPx(720);
    assertEquals(Q, run(1980, 10_000_000), "lifting a cap climbs like any other step up");
    assertEquals(H, run(40, 10_000_000), "f (1080 px) is above 720 px");
    selector.clearPreference();
    assertEquals(F, run(2020, 10_000_000));
  }

  @Test
  void aHeightCapSkipsLayersWhoseHeightIsStillUnknown() {
    ssrc[F] = 301; // f restarted on a new SSRC and has sent no keyframe yet
    byte[] p = RtpPackets.build(96, 1, 0, ssrc[F], false, new int[][] {{RID, 'f'}}, Vp8Payloads.delta().build());
    layers.onVp8Packet(p, 0, p.length, 0);
    start();
    selector.setMaxHeightPx(2160);
    assertEquals(H, run(100, 10_000_000));
  }

  @Test
  void aHeightCapBelowEveryLayerStillShowsTheLowest() {
    start();
    selector.setMaxHeightPx(100);
    assertEquals(Q, run(500, 10_000_000));
  }

  @Test
  void skipsLayersThePresenterStoppedSending() {
    settleOnF();
    rateBps[F] = 0;
    assertEquals(F, run(SimulcastLayers.DEFAULT_ACTIVE_TIMEOUT_MS - 20, 10_000_000));
    assertEquals(H, run(40, 10_000_000), "inactive: no hold time");
    assertEquals(H, run(5000, 10_000_000), "and not chosen again while it stays silent");
  }

  @Test
  void skipsAStoppedMiddleLayerWhenGoingDown() {
    rateBps[H] = 0;
    settleOnF();
    assertEquals(Q, run(1100, 1_000_000), "h sends nothing: its zero rate must not look affordable");
  }

  @Test
  void sendsTheLowestLayerWhenNothingFitsAndNothingWhenNoLayerIsActive() {
    tid0Share[Q] = 0.5;
    start();
    assertEquals(Q, run(1000, 50_000));
    assertEquals(0, selector.targetTemporalId(), "lowest layer, base temporal layer only");
    rateBps[Q] = rateBps[H] = rateBps[F] = 0;
    assertEquals(-1, run(2000, 50_000));
    assertFalse(selector.switchPending());
  }

  @Test
  void couldUseAMiddleLayerWhenOnALowerOneOrOverBudgetOnAHigherOne() {
    rateBps[H] = 0; // paused
    assertFalse(selector.couldUse(H, layers), "a viewer not placed yet wants nothing");
    settleOnF();
    assertFalse(selector.couldUse(H, layers), "on f with budget to spare");
    run(500, 1_000_000);
    assertEquals(F, selector.targetLayer(), "still within the down hold");
    assertTrue(selector.couldUse(H, layers), "over budget on f: h should be starting before the hold ends");
    assertEquals(Q, run(600, 1_000_000), "h is paused: the viewer goes to q meanwhile");
    assertTrue(selector.couldUse(H, layers), "on q, h is within its caps");
  }

  @Test
  void couldNotUseALayerAboveItsCaps() {
    rateBps[H] = 0; // paused, its last keyframe said 540 px
    start();
    selector.setMaxLayer(0);
    assertEquals(Q, run(100, 10_000_000));
    assertFalse(selector.couldUse(H, layers), "a preview capped to the lowest layer");
    selector.setMaxLayer(1);
    assertEquals(Q, run(40, 10_000_000));
    assertTrue(selector.couldUse(H, layers), "capped to medium: h is what it is waiting for");
    selector.clearPreference();
    selector.setMaxHeightPx(400);
    assertFalse(selector.couldUse(H, layers), "540 px is above a 400 px cap");
    selector.setMaxHeightPx(600);
    assertTrue(selector.couldUse(H, layers));
  }

  @Test
  void aLayerNeverSeenIsExpectedAtHalfTheHeightOfTheOneAbove() {
    SimulcastLayers fresh = new SimulcastLayers(List.of("q", "h", "f"), RID, -1);
    byte[] key = RtpPackets.build(96, 1, 0, 300, false, new int[][] {{RID, 'f'}},
        Vp8Payloads.keyframe().pictureId(1).size(1280, 720).build());
    fresh.onVp8Packet(key, 0, key.length, 0);
    byte[] q = RtpPackets.build(96, 1, 0, 100, false, new int[][] {{RID, 'q'}},
        Vp8Payloads.keyframe().pictureId(1).size(320, 180).build());
    fresh.onVp8Packet(q, 0, q.length, 0);
    selector.setMaxHeightPx(360);
    assertEquals(Q, selector.select(10, 10_000_000, fresh), "f is above the cap and h was never sent");
    assertTrue(selector.couldUse(H, fresh), "h would be 360 px");
    selector.setMaxHeightPx(359);
    assertFalse(selector.couldUse(H, fresh));
  }
}
