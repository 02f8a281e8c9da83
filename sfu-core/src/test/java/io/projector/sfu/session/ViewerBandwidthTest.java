package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.bwe.SendSideEstimator;
import org.junit.jupiter.api.Test;

class ViewerBandwidthTest {
  @Test
  void aJoiningViewerOrOneWithoutFeedbackIsNotLimited() {
    ViewerBandwidth b = new ViewerBandwidth();
    assertEquals(Long.MAX_VALUE, b.budgetBps(null, 0, 0, 500_000, 1_000_000));
    assertEquals(Long.MAX_VALUE, b.budgetBps(new SendSideEstimator(), 0, 0, 0, 1_000_000));
  }

  @Test
  void aCleanPathKeepsTheCurrentLayerEvenWhenTheEstimateIsLow() {
    ViewerBandwidth b = new ViewerBandwidth();
    SendSideEstimator bwe = new SendSideEstimator(200_000, 100_000, 50_000_000);
    long budget = b.budgetBps(bwe, 1000, 1_000_000, 600_000, 0);
    assertTrue(budget * 0.9 >= 600_000, "the current 600 kbit/s layer still fits: " + budget);
  }

  @Test
  void afterACleanPeriodTheBudgetOpensOneLayerUpNotToTheTop() {
    ViewerBandwidth b = new ViewerBandwidth();
    SendSideEstimator bwe = new SendSideEstimator(200_000, 100_000, 50_000_000);
    long early = b.budgetBps(bwe, 1000, 1_000_000, 200_000, 600_000);
    assertTrue(early * 0.9 < 600_000 * 1.2, "no climb at once: " + early);
    long later = b.budgetBps(bwe, 1000 + ViewerBandwidth.FIRST_PROBE_WAIT_MS, 3_000_000, 200_000, 600_000);
    assertTrue(later * 0.9 >= 600_000 * 1.2, "one layer up fits with the selector's margin: " + later);
    assertTrue(later < Long.MAX_VALUE / 2, "but the budget is not unbounded");
  }
}
