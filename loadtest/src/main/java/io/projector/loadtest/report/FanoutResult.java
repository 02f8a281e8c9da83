package io.projector.loadtest.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One server's run as the generator wrote it with --json: its steps and the step it sustained.
 *
 * @param server the name shown in reports ("Projector", "Janus")
 */
public record FanoutResult(String server, int sustainedViewers, long memoryPerViewerBytes, List<Step> steps) {

  /** One step's figures (see the generator's StepResult). */
  public record Step(int viewers, double packetsPerSecond, double megabitsPerSecond, double lossPercent,
      double delayP50Ms, double delayP99Ms, long joinP50Ms, double serverCpuPercent, long serverRssBytes,
      double generatorCpuPercent, boolean passed, double serverDelayP99Ms) {}

  public static FanoutResult parse(String server, String json) {
    JsonObject o = new JsonObject(json);
    List<Step> steps = new ArrayList<>();
    JsonArray a = o.getJsonArray("steps");
    for (int i = 0; i < a.size(); i++) {
      JsonObject s = a.getJsonObject(i);
      steps.add(new Step(s.getInteger("viewers"), s.getDouble("packetsPerSecond"), s.getDouble("megabitsPerSecond"),
          s.getDouble("lossPercent"), s.getDouble("delayP50Ms"), s.getDouble("delayP99Ms"), s.getLong("joinP50Ms"),
          s.getDouble("serverCpuPercent"), s.getLong("serverRssBytes"), s.getDouble("generatorCpuPercent"),
          s.getBoolean("passed"), serverDelayP99Ms(s)));
    }
    return new FanoutResult(server, o.getInteger("sustainedViewers"), o.getLong("memoryPerViewerBytes"), steps);
  }

  /** The server's own p99 (ms, a bucket bound; infinity beyond the last), or -1 when not published. */
  private static double serverDelayP99Ms(JsonObject step) {
    if (!step.containsKey("serverDelayP99Ms")) {
      return -1;
    }
    Double v = step.getDouble("serverDelayP99Ms");
    return v == null ? Double.POSITIVE_INFINITY : v;
  }

  /** The last step that met the thresholds, or null. */
  public Step sustained() {
    Step best = null;
    for (Step s : steps) {
      if (s.passed() && s.viewers() == sustainedViewers) {
        best = s;
      }
    }
    return best;
  }

  /**
   * Viewers per CPU core at the sustained step: viewers divided by the cores the server used for them
   * (its CPU time per second); -1 when unknown.
   */
  public double viewersPerCore() {
    Step s = sustained();
    return s == null || s.serverCpuPercent() <= 0 ? -1 : s.viewers() / (s.serverCpuPercent() / 100.0);
  }

  /**
   * Viewers per core from the largest step that held or not (the cost of fan-out measured where the load was
   * highest), for when the generator, not the server, is what stopped the ramp.
   */
  public double viewersPerCoreAtLargestStep() {
    Step s = steps.isEmpty() ? null : steps.get(steps.size() - 1);
    return s == null || s.serverCpuPercent() <= 0 ? -1 : s.viewers() / (s.serverCpuPercent() / 100.0);
  }
}
