package io.projector.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanoutReportTest {
  private static String step(int viewers, double cpu, boolean passed) {
    return "{\"viewers\":" + viewers + ",\"failedJoins\":0,\"packetsPerSecond\":" + viewers * 300 + ".0,"
        + "\"megabitsPerSecond\":1.0,\"lossPercent\":0.0,\"delayP50Ms\":1.0,\"delayP99Ms\":5.0,\"delayMaxMs\":9.0,"
        + "\"delaySamples\":100,\"joinP50Ms\":120,\"joinP95Ms\":200,\"serverCpuPercent\":" + cpu + ","
        + "\"serverRssBytes\":104857600,\"generatorCpuPercent\":50.0,\"passed\":" + passed + "}";
  }

  private static String run(int sustained, String... steps) {
    return "{\"target\":\"x\",\"bitrateKbps\":2500,\"baselineRssBytes\":1,\"memoryPerViewerBytes\":40960,"
        + "\"sustainedViewers\":" + sustained + ",\"steps\":[" + String.join(",", steps) + "]}";
  }

  @Test
  void viewersPerCoreComeFromTheSustainedStep() {
    FanoutResult r = FanoutResult.parse("P", run(200, step(100, 20, true), step(200, 50, true), step(300, 190, false)));
    assertEquals(200, r.sustained().viewers());
    assertEquals(400, r.viewersPerCore(), 1e-9, "200 viewers on half a core");
    assertEquals(300 / 1.9, r.viewersPerCoreAtLargestStep(), 1e-9);
    assertNull(FanoutResult.parse("J", run(0, step(50, 90, false))).sustained());
  }

  @Test
  void theSectionHasTheRatioAndReplacesItsPreviousVersion(@TempDir Path dir) throws Exception {
    FanoutResult p = FanoutResult.parse("Projector", run(400, step(400, 100, true)));
    FanoutResult j = FanoutResult.parse("Janus", run(100, step(100, 100, true)));
    String md = FanoutReport.markdown(List.of(p, j), "context line", Path.of("img/fanout.png"));
    assertTrue(md.contains("**Ratio Projector / Janus: 4.00× viewers per core, 4.00× viewers sustained.**"), md);
    assertTrue(md.contains("| Projector | 400 | 120000 | 100 % | 25.0 % | 400 | 40 KB |"), md);

    FanoutResult p2 = FanoutResult.parse("Projector", run(200, step(100, 30, true), step(200, 50, true)));
    FanoutResult j2 = FanoutResult.parse("Janus", run(100, step(100, 60, true), step(200, 99, false)));
    assertEquals("At the same load, 100 viewers (the most at which both held): Projector 30 % of a core, "
        + "Janus 60 %: 2.00× less CPU.\n", FanoutReport.equalLoad(p2, j2));

    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(docs, "# Benchmarks\n\nbefore\n" + FanoutReport.BEGIN + "\nold\n" + FanoutReport.END + "\nafter\n");
    Path json = dir.resolve("p.json");
    Files.writeString(json, run(400, step(400, 100, true)));
    Path context = dir.resolve("context.md");
    Files.writeString(context, "measured here");
    FanoutReport.main(new String[] {docs.toString(), dir.resolve("img/fanout.png").toString(), context.toString(),
        "Projector=" + json});
    String updated = Files.readString(docs);
    assertTrue(updated.startsWith("# Benchmarks\n\nbefore\n" + FanoutReport.BEGIN + "\nmeasured here"), updated);
    assertTrue(updated.endsWith(FanoutReport.END + "\nafter\n"), updated);
    assertTrue(!updated.contains("old"), updated);
    assertTrue(Files.size(dir.resolve("img/fanout.png")) > 1000, "the plot was drawn");
  }
}
