package io.projector.sfu.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendSideEstimatorTest {
  private static final long SECOND_US = 1_000_000;

  @Test
  void rampsUpAboutEightPercentPerSecondOnACleanLink() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(1_000_000, 100_000, 50_000_000), 100_000_000);
    long previous = link.run(SECOND_US);
    for (int s = 0; s < 20; s++) {
      long now = link.run(SECOND_US);
      assertTrue(now >= previous, "never decreases on a clean link: " + previous + " -> " + now);
      previous = now;
    }
    // 1.08^21 = 5.0; feedback delay and the startup second cost a little.
    assertTrue(previous > 3_500_000 && previous <= 5_100_000, "after 21 s: " + previous);
    assertEquals(0.0, link.estimator.lossFraction());
  }

  @Test
  void neverExceedsTheConfiguredMaximum() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(1_000_000, 100_000, 2_000_000), 100_000_000);
    assertEquals(2_000_000, link.run(20 * SECOND_US));
  }

  @Test
  void dropsUnderTenPercentLossAndHoldsUnderTwoToTen() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(4_000_000, 100_000, 50_000_000), 100_000_000);
    long clean = link.run(3 * SECOND_US);
    link.lossRate = 0.05;
    long lightLoss = link.run(3 * SECOND_US);
    // Clean, 3 s would add 26%; the first loss window and the odd sample under 2% let a little through.
    assertTrue(lightLoss <= clean * 105 / 100 && lightLoss > clean * 80 / 100,
        "5% loss holds the estimate: " + clean + " -> " + lightLoss);
    link.lossRate = 0.25;
    long heavyLoss = link.run(2 * SECOND_US);
    assertTrue(heavyLoss < lightLoss * 60 / 100, "25% loss: " + lightLoss + " -> " + heavyLoss);
    assertTrue(link.estimator.lossFraction() > 0.1);
  }

  @Test
  void dropsWhenTheQueuingDelayGrowsBeforeAnyLoss() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(2_500_000, 100_000, 50_000_000), 3_000_000);
    link.queueLimitUs = 10 * SECOND_US; // a deep buffer: only delay can tell
    assertTrue(link.run(3 * SECOND_US) >= 2_500_000);
    link.capacityBps = 1_500_000;
    long after = link.run(2 * SECOND_US);
    assertTrue(after < 1_500_000, "below the new capacity: " + after);
    assertEquals(0.0, link.estimator.lossFraction(), "no packet was lost");
    assertTrue(link.maxQueueUs < 400_000, "the queue was caught early: " + link.maxQueueUs);
  }

  @Test
  void recoversWhenTheCongestionEnds() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(2_000_000, 100_000, 50_000_000), 1_000_000);
    long congested = link.run(4 * SECOND_US);
    assertTrue(congested < 1_000_000, "adapted to 1 Mbps: " + congested);
    link.capacityBps = 20_000_000;
    long recovered = link.run(15 * SECOND_US);
    assertTrue(recovered > congested * 2, congested + " -> " + recovered);
    assertTrue(link.estimator.queueDelayUs() < 10_000, "queue drained: " + link.estimator.queueDelayUs());
  }

  @Test
  void tracksABottleneckWithoutRunningAwayOrCollapsing() {
    SimulatedLink link = new SimulatedLink(new SendSideEstimator(500_000, 100_000, 50_000_000), 2_000_000);
    link.run(40 * SECOND_US);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 200; i++) {
      long e = link.run(100_000);
      min = Math.min(min, e);
      max = Math.max(max, e);
    }
    assertTrue(min > 1_000_000 && max < 2_400_000, "between " + min + " and " + max);
    assertTrue(link.maxQueueUs < 400_000, "queue stays bounded: " + link.maxQueueUs);
  }

  @Test
  void usesRembAloneAndTheLowerOfRembAndTransportCc() {
    SendSideEstimator e = new SendSideEstimator(1_000_000, 100_000, 50_000_000);
    assertEquals(1_000_000, e.estimateBps(0), "nothing heard yet: the initial estimate");
    e.onRemb(3_000_000, 0);
    assertEquals(3_000_000, e.estimateBps(10 * SECOND_US), "REMB alone, however old");
    SimulatedLink link = new SimulatedLink(e, 100_000_000);
    link.nowUs = SECOND_US;
    long cc = link.run(SECOND_US);
    assertTrue(cc < 3_000_000);
    e.onRemb(500_000, link.nowUs);
    assertEquals(500_000, e.estimateBps(link.nowUs), "the lower of the two");
    assertTrue(e.estimateBps(link.nowUs + 6 * SECOND_US) > 500_000, "a stale REMB no longer caps");
  }

  @Test
  void refusesGarbageAndIgnoresFeedbackForPacketsItNeverSent() {
    SendSideEstimator e = new SendSideEstimator();
    assertFalse(e.onTransportFeedback(new byte[] {1, 2, 3}, 0, 3, 0));
    assertEquals(1, e.malformedFeedback());
    byte[] example = TransportCcParserTest.EXAMPLE;
    assertTrue(e.onTransportFeedback(example, 0, example.length, 0));
    assertEquals(40, e.unknownPackets());
    assertEquals(SendSideEstimator.DEFAULT_INITIAL_BPS, e.estimateBps(0));
  }
}
