package io.projector.loadtest;

import io.projector.loadtest.measure.ProcessSampler;
import io.projector.loadtest.viewer.ViewerSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A whole run: presenter, then steps of viewers until the target count (or, with --until-threshold, until a
 * step breaks a threshold), a progress line per second, and the final table.
 *
 * @param baselineRssBytes the server's memory with the presenter only (after a full GC for a JVM), or -1
 * @param sustained the last step that met the thresholds, or null
 */
public record LoadRun(List<StepResult> steps, long baselineRssBytes, StepResult sustained) {

  /** Runs the generator through its steps; the caller closes it. */
  public static LoadRun execute(LoadGenerator g) throws IOException, InterruptedException {
    LoadConfig c = g.config();
    PrintStream out = g.out();
    g.startPresenter();
    out.printf(Locale.ROOT, "presenter publishing at %d kbit/s (%.1f frames/s of the clip)%n", c.bitrateKbps(),
        g.presenter().framesPerSecond());
    long baseline = serverMemoryAfterGc(g.serverProcess());
    List<StepResult> steps = new ArrayList<>();
    StepResult sustained = null;
    Progress progress = new Progress(g);
    progress.start();
    try {
      while (g.viewers().size() < c.viewers()) {
        int add = Math.min(c.effectiveRampStep(), c.viewers() - g.viewers().size());
        int before = g.viewers().size();
        int failed = g.addViewers(add);
        TimeUnit.SECONDS.sleep(c.settleSeconds()); // join work (handshakes, catch-up replays) subsides
        StepMeter meter = new StepMeter(g);
        meter.start();
        TimeUnit.SECONDS.sleep(c.stepSeconds()); // the measurement window
        long rss = serverMemoryAfterGc(g.serverProcess());
        StepResult step = meter.finish(failed, joinTimes(g, before), rss);
        steps.add(step);
        out.println(Report.stepLine(step));
        if (step.passed()) {
          sustained = step;
        } else if (c.untilThreshold()) {
          break;
        }
        if (failed > 0 && g.viewers().size() == before) {
          break; // nobody could join: more steps would only repeat that
        }
      }
    } finally {
      progress.stop();
    }
    return new LoadRun(steps, baseline, sustained);
  }

  private static int[] joinTimes(LoadGenerator g, int from) {
    List<LoadGenerator.Joined> v = g.viewers();
    return v.subList(Math.min(from, v.size()), v.size()).stream().map(j -> j.viewer().snapshot())
        .mapToLong(ViewerSnapshot::joinMs).filter(ms -> ms >= 0).mapToInt(ms -> (int) ms).toArray();
  }

  /**
   * The server's resident memory; for a JVM after a full GC (jcmd GC.run), so that the figure is memory in use,
   * not heap the collector has not yet needed to reclaim. -1 when not measured.
   */
  static long serverMemoryAfterGc(ProcessSampler server) throws InterruptedException {
    if (server == null) {
      return -1;
    }
    if (server.isJava()) {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      try {
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(server.pid()), "GC.run")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (IOException e) {
        // no jcmd: the plain RSS is reported
      }
    }
    return server.residentBytes();
  }

  /** Memory per viewer at the sustained step, in bytes, or -1. */
  public long memoryPerViewerBytes() {
    if (sustained == null || baselineRssBytes < 0 || sustained.serverRssBytes() < 0 || sustained.viewers() == 0) {
      return -1;
    }
    return (sustained.serverRssBytes() - baselineRssBytes) / sustained.viewers();
  }
}
