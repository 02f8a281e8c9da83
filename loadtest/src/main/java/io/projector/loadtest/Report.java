package io.projector.loadtest;

import io.projector.loadtest.measure.ServerForwardDelay;
import java.util.Locale;

/** The generator's printed output: a line per step, the final table, and the JSON for scripts. */
final class Report {
  private Report() {}

  static String stepLine(StepResult s) {
    return String.format(Locale.ROOT,
        "step: %d viewers%s, %.0f pkt/s (%.0f Mbit/s) to viewers, loss %.4f%%, delay p50 %.2f ms p99 %.2f ms max %.1f ms,"
            + "%s join p50 %d ms p95 %d ms, server cpu %s, gen cpu %.0f%% -> %s",
        s.viewers(), s.failedJoins() > 0 ? " (" + s.failedJoins() + " failed to join)" : "", s.packetsPerSecond(),
        s.megabitsPerSecond(), s.lossPercent(), s.delayP50Ms(), s.delayP99Ms(), s.delayMaxMs(),
        s.serverDelayP99Ms() < 0 ? "" : " server's own p99 " + ServerForwardDelay.formatBound(s.serverDelayP99Ms()) + " ms,",
        s.joinP50Ms(),
        s.joinP95Ms(), s.serverCpuPercent() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", s.serverCpuPercent()),
        s.generatorCpuPercent(), s.passed() ? "held" : "BROKE " + (s.lossHeld() ? "" : "loss ")
            + (s.delayHeld() ? "" : "delay ") + (s.delaySamples() == 0 ? "(no delay samples)" : ""));
  }

  static String table(LoadRun run) {
    StringBuilder sb = new StringBuilder();
    sb.append("| viewers | pkt/s out | Mbit/s out | loss % | p50 ms | p99 ms | server's p99 ms | join p50 ms | "
        + "server CPU % | server RSS MB | gen CPU % | held |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
    for (StepResult s : run.steps()) {
      sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.4f | %.2f | %.2f | %s | %d | %s | %s | %.0f | %s |\n",
          s.viewers(), s.packetsPerSecond(), s.megabitsPerSecond(), s.lossPercent(), s.delayP50Ms(), s.delayP99Ms(),
          ServerForwardDelay.formatBound(s.serverDelayP99Ms()), s.joinP50Ms(), s.serverCpuPercent() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", s.serverCpuPercent()),
          s.serverRssBytes() < 0 ? "n/a" : String.valueOf(s.serverRssBytes() >> 20), s.generatorCpuPercent(),
          s.passed() ? "yes" : "no"));
    }
    StepResult best = run.sustained();
    sb.append(best == null ? "no step met the thresholds\n" : String.format(Locale.ROOT,
        "sustained: %d viewers; server CPU per 100 viewers: %s; memory per viewer: %s%n", best.viewers(),
        best.serverCpuPer100Viewers() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%% of a core", best.serverCpuPer100Viewers()),
        run.memoryPerViewerBytes() < 0 ? "n/a" : (run.memoryPerViewerBytes() / 1024) + " KB"));
    return sb.toString();
  }

  static String json(LoadRun run, LoadConfig c) {
    StringBuilder sb = new StringBuilder("{\"target\":\"").append(c.target()).append("\",\"bitrateKbps\":")
        .append(c.bitrateKbps()).append(",\"baselineRssBytes\":").append(run.baselineRssBytes())
        .append(",\"memoryPerViewerBytes\":").append(run.memoryPerViewerBytes())
        .append(",\"sustainedViewers\":").append(run.sustained() == null ? 0 : run.sustained().viewers())
        .append(",\"steps\":[");
    for (int i = 0; i < run.steps().size(); i++) {
      StepResult s = run.steps().get(i);
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"viewers\":%d,\"failedJoins\":%d,\"packetsPerSecond\":%.1f,\"megabitsPerSecond\":%.2f,\"lossPercent\":%.5f,"
              + "\"delayP50Ms\":%.3f,\"delayP99Ms\":%.3f,\"delayMaxMs\":%.3f,\"delaySamples\":%d,\"joinP50Ms\":%d,"
              + "\"joinP95Ms\":%d,\"serverCpuPercent\":%.1f,\"serverRssBytes\":%d,\"generatorCpuPercent\":%.1f,"
              + "\"serverDelayP99Ms\":%s,\"passed\":%b}",
          s.viewers(), s.failedJoins(), s.packetsPerSecond(), s.megabitsPerSecond(), s.lossPercent(), s.delayP50Ms(),
          s.delayP99Ms(), s.delayMaxMs(), s.delaySamples(), s.joinP50Ms(), s.joinP95Ms(), s.serverCpuPercent(),
          s.serverRssBytes(), s.generatorCpuPercent(),
          Double.isFinite(s.serverDelayP99Ms()) ? String.format(Locale.ROOT, "%.3f", s.serverDelayP99Ms()) : "null",
          s.passed()));
    }
    return sb.append("]}\n").toString();
  }
}
