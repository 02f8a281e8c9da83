package io.projector.loadtest;

import io.projector.loadtest.measure.ProcessSampler;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints one progress line per second: viewers, packets/s received, loss so far, server and generator CPU. */
final class Progress {
  private final LoadGenerator g;
  private final ProcessSampler server;
  private final ProcessSampler self = ProcessSampler.self();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "loadtest-progress");
    t.setDaemon(true);
    return t;
  });
  private final long startNs = System.nanoTime();
  private long lastReceived;
  private double lastServerCpu;
  private double lastSelfCpu;

  Progress(LoadGenerator g) {
    this.g = g;
    this.server = g.serverProcess();
  }

  void start() {
    lastServerCpu = server == null ? -1 : server.cpuSeconds();
    lastSelfCpu = self.cpuSeconds();
    timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  void stop() {
    timer.shutdownNow();
  }

  private void print() {
    LoadGenerator.Totals t = g.totals();
    double serverCpu = server == null ? -1 : server.cpuSeconds();
    double selfCpu = self.cpuSeconds();
    g.out().printf(Locale.ROOT, "t=%3ds viewers=%d sent=%d rx=%.0f pkt/s lost=%d/%d server cpu=%s gen cpu=%.0f%%%n",
        (System.nanoTime() - startNs) / 1_000_000_000L, g.viewers().size(), g.presenter().packetsSent(),
        (double) (t.received() - lastReceived),
        t.lost(), t.expected(), serverCpu < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * (serverCpu - lastServerCpu)),
        100 * (selfCpu - lastSelfCpu));
    lastReceived = t.received();
    lastServerCpu = serverCpu;
    lastSelfCpu = selfCpu;
  }
}
