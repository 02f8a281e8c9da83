package io.projector.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Both servers measured at the same time, at the same load: two generators, one per server, each holding the same
 * number of viewers for several windows (--hold-windows). Whatever else slows the machine down in a window slows
 * both, so the ratio of their CPU per viewer does not depend on when it was measured, unlike two ramps run one
 * after the other (CPU figures on this shared machine swing by ±30 % between minutes). Viewers per core at equal
 * load are in inverse proportion to CPU per viewer, so that ratio is the viewers-per-core ratio.
 *
 * <p>{@code SideBySide DOCS.md CONTEXT.md projector.json janus.json} writes the section between its markers.
 */
public final class SideBySide {
  static final String BEGIN = "<!-- fanout-side-by-side:begin -->";
  static final String END = "<!-- fanout-side-by-side:end -->";

  private SideBySide() {}

  /**
   * The comparison: each server's windows at the load both held (every step at the final viewer count), their
   * median CPU per 100 viewers, and the ratio of the medians (how many times more viewers per core the first
   * server serves).
   */
  record Comparison(int viewers, double[] cpuA, double[] cpuB, double medianA, double medianB, double ratio,
      double lossA, double lossB, double p99A, double p99B, int heldA, int heldB) {}

  static Comparison compare(FanoutResult a, FanoutResult b) {
    int viewers = Math.min(last(a).viewers(), last(b).viewers());
    double[] cpuA = per100(a, viewers);
    double[] cpuB = per100(b, viewers);
    if (cpuA.length == 0 || cpuB.length == 0) {
      throw new IllegalArgumentException("no windows with CPU figures at " + viewers + " viewers in both runs");
    }
    double medianA = median(cpuA);
    double medianB = median(cpuB);
    return new Comparison(viewers, cpuA, cpuB, medianA, medianB, medianB / medianA, worst(a, viewers, true),
        worst(b, viewers, true), worst(a, viewers, false), worst(b, viewers, false), held(a, viewers),
        held(b, viewers));
  }

  /** Windows at this load that met both thresholds (loss, p99 delay). */
  private static int held(FanoutResult r, int viewers) {
    return (int) r.steps().stream().filter(s -> s.viewers() == viewers && s.passed()).count();
  }

  private static FanoutResult.Step last(FanoutResult r) {
    if (r.steps().isEmpty()) {
      throw new IllegalArgumentException(r.server() + ": no steps measured");
    }
    return r.steps().get(r.steps().size() - 1);
  }

  private static double[] per100(FanoutResult r, int viewers) {
    return r.steps().stream().filter(s -> s.viewers() == viewers && s.serverCpuPercent() > 0)
        .mapToDouble(s -> s.serverCpuPercent() * 100.0 / viewers).toArray();
  }

  /** The worst loss (percent) or p99 delay (ms) over the windows at this load. */
  private static double worst(FanoutResult r, int viewers, boolean loss) {
    return r.steps().stream().filter(s -> s.viewers() == viewers)
        .mapToDouble(s -> loss ? s.lossPercent() : s.delayP99Ms()).max().orElse(Double.NaN);
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static String markdown(FanoutResult a, FanoutResult b, Comparison c, String context) {
    StringBuilder sb = new StringBuilder(BEGIN).append("\n");
    sb.append(context.strip()).append("\n\n");
    sb.append(String.format(Locale.ROOT, "| server | viewers | windows | CPU per 100 viewers, each window (%% of a core) "
        + "| median | worst loss %% | worst p99 ms | windows that held |%n|---|---:|---:|---|---:|---:|---:|---:|%n"));
    row(sb, a.server(), c.viewers(), c.cpuA(), c.medianA(), c.lossA(), c.p99A(), c.heldA());
    row(sb, b.server(), c.viewers(), c.cpuB(), c.medianB(), c.lossB(), c.p99B(), c.heldB());
    sb.append(String.format(Locale.ROOT, "%n**%s serves %.2f× the viewers per CPU core that %s does** at %d viewers "
        + "each, measured side by side (ratio of the medians: %.1f %% ÷ %.1f %% of a core per 100 viewers).%n",
        a.server(), c.ratio(), b.server(), c.viewers(), c.medianB(), c.medianA()));
    return sb.append(END).toString();
  }

  private static void row(StringBuilder sb, String server, int viewers, double[] cpu, double median, double loss,
      double p99, int held) {
    StringBuilder each = new StringBuilder();
    for (double v : cpu) {
      each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
    }
    sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.1f | %.4f | %.2f | %d of %d |%n", server, viewers,
        cpu.length, each, median, loss, p99, held, cpu.length));
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: SideBySide DOCS.md CONTEXT.md projector.json janus.json");
      System.exit(2);
    }
    FanoutResult projector = FanoutResult.parse("Projector", Files.readString(Path.of(args[2])));
    FanoutResult janus = FanoutResult.parse("Janus", Files.readString(Path.of(args[3])));
    Comparison c = compare(projector, janus);
    Path docs = Path.of(args[0]);
    String existing = Files.exists(docs) ? Files.readString(docs) : "# Benchmarks\n";
    String section = markdown(projector, janus, c, Files.readString(Path.of(args[1])));
    Files.writeString(docs, FanoutReport.replaceSection(existing, BEGIN, END, section));
    System.out.printf(Locale.ROOT, "side by side at %d viewers: Projector %.1f %%, Janus %.1f %% of a core per 100 "
        + "viewers (medians of %d and %d windows): %.2fx%n", c.viewers(), c.medianA(), c.medianB(), c.cpuA().length,
        c.cpuB().length, c.ratio());
  }
}
