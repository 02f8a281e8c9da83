package io.projector.loadtest;

/**
 * What one step of a run measured, over its measurement window (after its viewers joined).
 *
 * @param viewers viewers connected during the window
 * @param failedJoins viewers of this step that did not connect within the join timeout
 * @param lossPercent packets lost after NACKs, in percent of those expected, over all viewers
 * @param packetsPerSecond video packets per second received by all viewers together (the server's fan-out)
 * @param serverCpuPercent the server's CPU use in percent of one core (-1: not measured)
 * @param serverRssBytes the server's resident memory at the end of the step (-1: not measured)
 * @param generatorCpuPercent the generator's own CPU use in percent of one core
 * @param serverDelayP99Ms the server's own p99 forwarding delay over the window, from Projector's histogram (a
 *     bucket's upper bound; -1: not available, e.g. Janus)
 */
public record StepResult(int viewers, int failedJoins, double windowSeconds, long expected, long lost,
    double lossPercent, long delaySamples, double delayP50Ms, double delayP99Ms, double delayMaxMs, long joinP50Ms,
    long joinP95Ms, double packetsPerSecond, double megabitsPerSecond, double serverCpuPercent,
    long serverRssBytes, double generatorCpuPercent, boolean lossHeld, boolean delayHeld,
    double serverDelayP99Ms) {

  /** Whether the step met both thresholds, every viewer joined, and delay was actually measured. */
  public boolean passed() {
    return lossHeld && delayHeld && failedJoins == 0 && delaySamples > 0;
  }

  /** Server CPU (percent of one core) per 100 viewers, or -1. */
  public double serverCpuPer100Viewers() {
    return serverCpuPercent < 0 || viewers == 0 ? -1 : serverCpuPercent * 100.0 / viewers;
  }
}
