package io.projector.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ServerForwardDelayTest {
  /** A page as Micrometer's Prometheus registry writes it (abridged), with cumulative buckets. */
  private static String page(long under1ms, long under2ms, long under10ms, long total) {
    return "# HELP projector_forward_delay_seconds arrival of a presenter packet to its send to the last viewer\n"
        + "# TYPE projector_forward_delay_seconds histogram\n"
        + "projector_forward_delay_seconds_bucket{le=\"0.001\"} " + under1ms + "\n"
        + "projector_forward_delay_seconds_bucket{le=\"0.002\"} " + under2ms + "\n"
        + "projector_forward_delay_seconds_bucket{le=\"0.01\"} " + under10ms + "\n"
        + "projector_forward_delay_seconds_bucket{le=\"+Inf\"} " + total + "\n"
        + "projector_forward_delay_seconds_count " + total + "\n"
        + "projector_viewers 3.0\n";
  }

  @Test
  void quantilesComeFromTheWindowBetweenTwoSnapshotsNotFromTheStart() {
    // Before the window: 1000 slow packets (joins). In the window: 1000 more, 980 under 1 ms, 15 under 2 ms,
    // 4 under 10 ms, 1 beyond.
    ServerForwardDelay.Snapshot before = ServerForwardDelay.parse(page(0, 0, 0, 1000));
    ServerForwardDelay.Snapshot after = ServerForwardDelay.parse(page(980, 995, 999, 2000));
    assertEquals(1.0, ServerForwardDelay.percentileMs(before, after, 50), 1e-9);
    assertEquals(1.0, ServerForwardDelay.percentileMs(before, after, 98), 1e-9);
    assertEquals(2.0, ServerForwardDelay.percentileMs(before, after, 99), 1e-9);
    assertEquals(10.0, ServerForwardDelay.percentileMs(before, after, 99.9), 1e-9);
    assertEquals(Double.POSITIVE_INFINITY, ServerForwardDelay.percentileMs(before, after, 100));
  }

  @Test
  void noTrafficOrNoHistogramIsMinusOne() {
    ServerForwardDelay.Snapshot s = ServerForwardDelay.parse(page(5, 5, 5, 5));
    assertEquals(-1, ServerForwardDelay.percentileMs(s, s, 99));
    assertEquals(-1, ServerForwardDelay.percentileMs(null, s, 99));
    assertNull(ServerForwardDelay.parse("projector_viewers 3.0\n"));
  }

  @Test
  void boundsReadAsReportsShowThem() {
    assertEquals("≤ 1.4", ServerForwardDelay.formatBound(1.398101));
    assertEquals("≤ 28", ServerForwardDelay.formatBound(27.962026));
    assertEquals("> 100", ServerForwardDelay.formatBound(Double.POSITIVE_INFINITY));
    assertEquals("n/a", ServerForwardDelay.formatBound(-1));
  }
}
