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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      int held = 0;
      while (g.viewers().size() < c.viewers() || held < c.holdWindows()) {
        boolean holding = g.viewers().size() >= c.viewers();
        int add = holding ? 0 : Math.min(c.effectiveRampStep(), c.viewers() - g.viewers().size());
        int before = g.viewers().size();
        int failed = 0;
        if (holding) {
          held++; // another window at the same load: nothing joins, nothing to settle
        } else {
          failed = g.addViewers(add);
          TimeUnit.SECONDS.sleep(c.settleSeconds()); // join work (handshakes, catch-up replays) subsides
        }
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
        if (!holding && failed > 0 && g.viewers().size() == before) {
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
   * The server's memory in use: its resident set size; for a JVM, with the heap counted as its live data after a
   * full GC (jcmd GC.run, then GC.heap_info: RSS - committed heap + used heap), since a collector keeps heap it
   * does not yet need to give back. -1 when not measured.
   */
  static long serverMemoryAfterGc(ProcessSampler server) throws InterruptedException {
    if (server == null) {
      return -1;
    }
    long rss = server.residentBytes();
    if (!server.isJava()) {
      return rss;
    }
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      run(jcmd, String.valueOf(server.pid()), "GC.run");
      rss = server.residentBytes();
      Matcher m = HEAP_INFO.matcher(run(jcmd, String.valueOf(server.pid()), "GC.heap_info"));
      if (m.find()) {
        return rss - Long.parseLong(m.group(1)) * 1024 + Long.parseLong(m.group(2)) * 1024;
      }
    } catch (IOException e) {
      // no jcmd: the plain RSS is reported
    }
    return rss;
  }

  private static final Pattern HEAP_INFO = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /**
   * Memory per additional viewer, in bytes: the growth between the first step and the sustained one divided by
   * the viewers added (one-off costs such as the first session's classes and thread pools are left out); with one
   * step, the growth over the presenter-only baseline. -1 when not measured.
   */
  public long memoryPerViewerBytes() {
    if (sustained == null || sustained.serverRssBytes() < 0 || steps.isEmpty()) {
      return -1;
    }
    StepResult first = steps.get(0);
    if (first != sustained && first.serverRssBytes() >= 0 && sustained.viewers() > first.viewers()) {
      return (sustained.serverRssBytes() - first.serverRssBytes()) / (sustained.viewers() - first.viewers());
    }
    return baselineRssBytes < 0 ? -1 : (sustained.serverRssBytes() - baselineRssBytes) / sustained.viewers();
  }

}
