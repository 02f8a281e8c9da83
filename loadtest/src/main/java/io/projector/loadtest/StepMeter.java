package io.projector.loadtest;

import io.projector.loadtest.measure.DelayHistogram;
import io.projector.loadtest.measure.ProcessSampler;
import io.projector.loadtest.measure.ServerForwardDelay;
import java.util.Arrays;

/**
 * Measures one step's window: totals over all viewers at the start and at the end, the delay samples recorded
 * in between, and the CPU time the server and the generator used meanwhile.
 */
final class StepMeter {
  private final LoadGenerator generator;
  private final ProcessSampler server;
  private final ProcessSampler self = ProcessSampler.self();
  private final ServerForwardDelay serverDelay; // Projector only: its own forward-delay histogram
  private ServerForwardDelay.Snapshot serverDelay0;
  private long startNs;
  private LoadGenerator.Totals start;
  private double serverCpu0;
  private double selfCpu0;

  StepMeter(LoadGenerator generator) {
    this.generator = generator;
    this.server = generator.serverProcess();
    LoadConfig c = generator.config();
    this.serverDelay = "projector".equals(c.target()) ? new ServerForwardDelay(c.server()) : null;
  }

  /** Starts the window: delay samples from before (joins) are discarded. */
  void start() {
    start = generator.totals();
    generator.delays().drain();
    serverDelay0 = serverDelay == null ? null : serverDelay.snapshot();
    serverCpu0 = server == null ? -1 : server.cpuSeconds();
    selfCpu0 = self.cpuSeconds();
    startNs = System.nanoTime();
  }

  /** Ends the window. */
  StepResult finish(int failedJoins, int[] joinMsOfStep, long serverRssBytes) {
    double seconds = (System.nanoTime() - startNs) / 1e9;
    LoadGenerator.Totals end = generator.totals();
    double serverP99Ms = serverDelay == null ? -1
        : ServerForwardDelay.percentileMs(serverDelay0, serverDelay.snapshot(), 99);
    DelayHistogram d = generator.delays().drain();
    long expected = end.expected() - start.expected();
    long lost = end.lost() - start.lost();
    double lossPercent = expected <= 0 ? 100 : 100.0 * lost / expected;
    double serverCpu = server == null ? -1 : 100 * (server.cpuSeconds() - serverCpu0) / seconds;
    double selfCpu = 100 * (self.cpuSeconds() - selfCpu0) / seconds;
    int[] joins = joinMsOfStep.clone();
    Arrays.sort(joins);
    LoadConfig c = generator.config();
    double p99Ms = d.percentileUs(99) / 1000.0;
    return new StepResult(generator.viewers().size(), failedJoins, seconds, expected, lost, lossPercent,
        d.count(), d.percentileUs(50) / 1000.0, p99Ms, d.maxUs() / 1000.0, percentile(joins, 50),
        percentile(joins, 95), (end.received() - start.received()) / seconds, (end.bytes() - start.bytes()) * 8 / seconds / 1e6, serverCpu,
        serverRssBytes, selfCpu, lossPercent <= c.maxLossPercent(), p99Ms <= c.maxP99Ms(), serverP99Ms);
  }

  static long percentile(int[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
