package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerDemandTest {
  private static final boolean[] NOBODY = {false, false, false};
  private static final boolean[] SOMEONE = {false, true, false};
  private final LayerDemand demand = new LayerDemand(3);

  @Test
  void pausesTheMiddleLayerNobodyCouldUseAndNeverTheLowestOrTheTop() {
    assertTrue(demand.active(1), "the presenter sends everything until it is advised");
    assertTrue(demand.update(0, NOBODY), "the first advice is always reported");
    assertFalse(demand.active(1));
    assertTrue(demand.active(0) && demand.active(2));
    assertFalse(demand.update(20, new boolean[] {true, false, true}), "only middle layers are pausable");
    assertTrue(demand.active(0) && demand.active(2));
    assertFalse(demand.pausable(0) || demand.pausable(2));
    assertTrue(demand.pausable(1));
  }

  @Test
  void resumesAtOnceAndPausesOnlyAfterTwentySecondsWithoutDemand() {
    demand.update(0, NOBODY);
    assertTrue(demand.update(100, SOMEONE), "resumed on the first tick somebody could use it");
    assertTrue(demand.active(1));
    assertFalse(demand.update(120, SOMEONE));
    long lastWanted = 5_000;
    demand.update(lastWanted, SOMEONE);
    assertFalse(demand.update(lastWanted + LayerDemand.PAUSE_AFTER_MS - 1, NOBODY), "within the hold");
    assertTrue(demand.active(1));
    assertFalse(demand.update(lastWanted + 10_000, SOMEONE.clone()) || !demand.active(1));
    lastWanted += 10_000;
    assertFalse(demand.update(lastWanted + LayerDemand.PAUSE_AFTER_MS - 1, NOBODY), "demand restarted the hold");
    assertTrue(demand.update(lastWanted + LayerDemand.PAUSE_AFTER_MS, NOBODY));
    assertFalse(demand.active(1));
    assertFalse(demand.update(lastWanted + LayerDemand.PAUSE_AFTER_MS + 20, NOBODY), "no repeated advice");
  }

  @Test
  void aFirstAdviceWithDemandIsReportedToo() {
    assertTrue(demand.update(0, SOMEONE));
    assertTrue(demand.active(1));
  }

  @Test
  void fiveLayersHaveThreePausableOnesEachWithItsOwnHold() {
    LayerDemand five = new LayerDemand(5);
    five.update(0, new boolean[] {false, true, false, true, false});
    assertEquals("true true false true true", states(five));
    assertTrue(five.update(LayerDemand.PAUSE_AFTER_MS, new boolean[] {false, false, false, true, false}));
    assertEquals("true false false true true", states(five));
  }

  @Test
  void oneOrTwoLayersHaveNothingToPause() {
    LayerDemand two = new LayerDemand(2);
    assertTrue(two.update(0, new boolean[] {false, false}));
    assertTrue(two.active(0) && two.active(1));
    assertThrows(IllegalArgumentException.class, () -> new LayerDemand(0));
  }

  private static String states(LayerDemand d) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.layerCount(); i++) {
      b.append(i == 0 ? "" : " ").append(d.active(i));
    }
    return b.toString();
  }
}
