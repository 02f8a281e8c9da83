package io.projector.loadtest;

import io.projector.loadtest.measure.DelayHistogram;
import io.projector.loadtest.measure.ProcessSampler;
import io.projector.loadtest.viewer.ViewerSnapshot;
import java.util.Arrays;
import java.util.List;

/**
 * Measures one step's window: totals over all viewers at the start and at the end, the delay samples recorded
 * in between, and the CPU time the server and the generator used meanwhile.
 */
final class StepMeter {
  private final LoadGenerator generator;
  private final ProcessSampler server;
  private final ProcessSampler self = ProcessSampler.self();
  private long startNs;
  private long expected0;
  private long lost0;
  private long received0;
  private long bytes0;
  private double serverCpu0;
  private double selfCpu0;

  StepMeter(LoadGenerator generator) {
    this.generator = generator;
    this.server = generator.serverProcess();
  }

  /** Starts the window: delay samples from before (joins) are discarded. */
  void start() {
    long[] t = totals();
    expected0 = t[0];
    lost0 = t[1];
    received0 = t[2];
    bytes0 = t[3];
    generator.delays().drain();
    serverCpu0 = server == null ? -1 : server.cpuSeconds();
    selfCpu0 = self.cpuSeconds();
    startNs = System.nanoTime();
  }

  /** Ends the window. */
  StepResult finish(int failedJoins, int[] joinMsOfStep, long serverRssBytes) {
    double seconds = (System.nanoTime() - startNs) / 1e9;
    long[] t = totals();
    DelayHistogram d = generator.delays().drain();
    long expected = t[0] - expected0;
    long lost = t[1] - lost0;
    double lossPercent = expected <= 0 ? 100 : 100.0 * lost / expected;
    double serverCpu = server == null ? -1 : 100 * (server.cpuSeconds() - serverCpu0) / seconds;
    double selfCpu = 100 * (self.cpuSeconds() - selfCpu0) / seconds;
    int[] joins = joinMsOfStep.clone();
    Arrays.sort(joins);
    LoadConfig c = generator.config();
    double p99Ms = d.percentileUs(99) / 1000.0;
    return new StepResult(generator.viewers().size(), failedJoins, seconds, expected, lost, lossPercent,
        d.count(), d.percentileUs(50) / 1000.0, p99Ms, d.maxUs() / 1000.0, percentile(joins, 50),
        percentile(joins, 95), (t[2] - received0) / seconds, (t[3] - bytes0) * 8 / seconds / 1e6, serverCpu,
        serverRssBytes, selfCpu, lossPercent <= c.maxLossPercent(), p99Ms <= c.maxP99Ms());
  }

  /** expected, lost, received, bytes summed over all viewers. */
  private long[] totals() {
    long[] t = new long[4];
    List<LoadGenerator.Joined> viewers = generator.viewers();
    for (LoadGenerator.Joined j : viewers) {
      ViewerSnapshot s = j.viewer().snapshot();
      t[0] += s.expected();
      t[1] += s.lost();
      t[2] += s.received();
      t[3] += s.bytes();
    }
    return t;
  }

  static long percentile(int[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
