package io.projector.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SideBySideTest {
  private static String step(int viewers, double cpu, double loss, double p99) {
    return "{\"viewers\":" + viewers + ",\"failedJoins\":0,\"packetsPerSecond\":" + viewers * 300 + ".0,"
        + "\"megabitsPerSecond\":1.0,\"lossPercent\":" + loss + ",\"delayP50Ms\":1.0,\"delayP99Ms\":" + p99 + ","
        + "\"delayMaxMs\":9.0,\"delaySamples\":100,\"joinP50Ms\":120,\"joinP95Ms\":200,\"serverCpuPercent\":" + cpu
        + ",\"serverRssBytes\":104857600,\"generatorCpuPercent\":50.0,\"passed\":true}";
  }

  private static FanoutResult run(String name, String... steps) {
    return FanoutResult.parse(name, "{\"target\":\"x\",\"bitrateKbps\":2500,\"baselineRssBytes\":1,"
        + "\"memoryPerViewerBytes\":40960,\"sustainedViewers\":100,\"steps\":[" + String.join(",", steps) + "]}");
  }

  @Test
  void theRatioIsOfTheMediansOverTheWindowsAtTheSameLoad() {
    // Projector: windows at 20, 30, 25 % of a core for 100 viewers (one noisy); Janus: 60, 75, 50, 55.
    FanoutResult p = run("Projector", step(100, 20, 0, 4), step(100, 30, 0.01, 6), step(100, 25, 0, 5));
    FanoutResult j = run("Janus", step(100, 60, 0, 8), step(100, 75, 0, 9), step(100, 50, 0.2, 7),
        step(100, 55, 0, 30));
    SideBySide.Comparison c = SideBySide.compare(p, j);
    assertEquals(100, c.viewers());
    assertArrayEquals(new double[] {20, 30, 25}, c.cpuA(), 1e-9);
    assertEquals(25, c.medianA(), 1e-9);
    assertEquals(57.5, c.medianB(), 1e-9, "even count: mean of the middle two");
    assertEquals(2.3, c.ratio(), 1e-9);
    assertEquals(0.01, c.lossA(), 1e-9, "the worst window is reported");
    assertEquals(30, c.p99B(), 1e-9);
    assertEquals(4, c.heldB(), "every window passed in this data");
  }

  @Test
  void onlyWindowsAtTheCommonFinalLoadCount() {
    // A ramp step on the way (50 viewers) is not one of the windows at 200.
    FanoutResult p = run("Projector", step(50, 20, 0, 1), step(200, 50, 0, 2), step(200, 40, 0, 2));
    FanoutResult j = run("Janus", step(200, 120, 0, 3));
    SideBySide.Comparison c = SideBySide.compare(p, j);
    assertArrayEquals(new double[] {25, 20}, c.cpuA(), 1e-9, "per 100 viewers");
    assertEquals(60 / 22.5, c.ratio(), 1e-9);
    assertThrows(IllegalArgumentException.class,
        () -> SideBySide.compare(run("P", step(100, 20, 0, 1)), run("J", step(200, 50, 0, 1))),
        "no windows at a common load");
  }

  @Test
  void theSectionReplacesItsPreviousVersion() {
    FanoutResult p = run("Projector", step(100, 20, 0, 4));
    FanoutResult j = run("Janus", step(100, 60, 0, 8));
    String md = SideBySide.markdown(p, j, SideBySide.compare(p, j), "context");
    assertTrue(md.contains("**Projector serves 3.00× the viewers per CPU core that Janus does** at 100 viewers"), md);
    assertTrue(md.contains("| Projector | 100 | 1 | 20.0 | 20.0 | 0.0000 | 4.00 | 1 of 1 |"), md);
    String docs = "# B\n\nbefore\n\n" + SideBySide.BEGIN + "\nold\n" + SideBySide.END + "\n\nafter\n";
    String updated = FanoutReport.replaceSection(docs, SideBySide.BEGIN, SideBySide.END, md);
    assertTrue(updated.startsWith("# B\n\nbefore\n\n" + SideBySide.BEGIN + "\ncontext"), updated);
    assertTrue(updated.endsWith(SideBySide.END + "\n\nafter\n"), updated);
    assertTrue(!updated.contains("old"), updated);
  }
}
