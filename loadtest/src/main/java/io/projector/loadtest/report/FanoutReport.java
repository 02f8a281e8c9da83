package io.projector.loadtest.report;

import io.projector.loadtest.measure.ServerForwardDelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the fan-out benchmark's JSON files into the "Large audiences" section of docs/benchmarks.md and its
 * plot. Usage (bench/fanout/run.sh calls it):
 * {@code java -cp projector-loadtest.jar io.projector.loadtest.report.FanoutReport DOCS PNG CONTEXT_FILE
 * Projector=projector.json [Janus=janus.json]}. CONTEXT_FILE holds the markdown lines that say the machine, the
 * date and the command; the section is replaced between {@value #BEGIN} and {@value #END}.
 */
public final class FanoutReport {
  static final String BEGIN = "<!-- fanout:begin -->";
  static final String END = "<!-- fanout:end -->";

  private FanoutReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: FanoutReport DOCS.md PLOT.png CONTEXT.md Name=result.json [Name=result.json]");
      System.exit(2);
    }
    Path docs = Path.of(args[0]);
    Path png = Path.of(args[1]);
    String context = Files.readString(Path.of(args[2])).strip();
    List<FanoutResult> results = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String[] nameFile = args[i].split("=", 2);
      results.add(FanoutResult.parse(nameFile[0], Files.readString(Path.of(nameFile[1]))));
    }
    FanoutChart.write(results, png);
    String section = markdown(results, context, docs.toAbsolutePath().getParent().relativize(png.toAbsolutePath()));
    String existing = Files.exists(docs) ? Files.readString(docs) : "# Benchmarks\n";
    Files.writeString(docs, replaceSection(existing, BEGIN, END, section));
    System.out.println("wrote " + docs + " and " + png);
  }

  /**
   * {@code existing} with the text from {@code begin} to {@code end} (a section that starts and ends with those
   * markers) replaced by {@code section}; appended when the markers are missing. Shared by the fan-out reports.
   */
  static String replaceSection(String existing, String begin, String end, String section) {
    int b = existing.indexOf(begin);
    int e = existing.indexOf(end);
    return b >= 0 && e > b ? existing.substring(0, b) + section + existing.substring(e + end.length())
        : existing.stripTrailing() + "\n\n" + section + "\n";
  }

  /**
   * CPU at the same load: the largest viewer count at which both servers held, and the ratio of their CPU there
   * (the sustained steps differ, so viewers per core compares different loads).
   */
  static String equalLoad(FanoutResult a, FanoutResult b) {
    FanoutResult.Step bestA = null;
    FanoutResult.Step bestB = null;
    for (FanoutResult.Step sa : a.steps()) {
      for (FanoutResult.Step sb : b.steps()) {
        if (sa.viewers() == sb.viewers() && sa.passed() && sb.passed() && sa.serverCpuPercent() > 0
            && (bestA == null || sa.viewers() > bestA.viewers())) {
          bestA = sa;
          bestB = sb;
        }
      }
    }
    if (bestA == null) {
      return "";
    }
    return String.format(Locale.ROOT, "At the same load, %d viewers (the most at which both held): %s %.0f %% of a core, "
        + "%s %.0f %%: %.2f× less CPU.%n", bestA.viewers(), a.server(), bestA.serverCpuPercent(), b.server(),
        bestB.serverCpuPercent(), bestB.serverCpuPercent() / bestA.serverCpuPercent());
  }

  static String markdown(List<FanoutResult> results, String context, Path plot) {
    StringBuilder sb = new StringBuilder(BEGIN).append("\n");
    sb.append(context).append("\n\n");
    sb.append("| server | viewers sustained | pkt/s out | server CPU (% of a core) | CPU per 100 viewers | "
        + "viewers per core | memory per viewer |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (FanoutResult r : results) {
      FanoutResult.Step s = r.sustained();
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |\n", r.server(), r.sustainedViewers(),
          s == null ? "–" : String.format(Locale.ROOT, "%.0f", s.packetsPerSecond()),
          s == null ? "–" : String.format(Locale.ROOT, "%.0f %%", s.serverCpuPercent()),
          s == null ? "–" : String.format(Locale.ROOT, "%.1f %%", s.serverCpuPercent() * 100 / s.viewers()),
          r.viewersPerCore() < 0 ? "–" : String.format(Locale.ROOT, "%.0f", r.viewersPerCore()),
          r.memoryPerViewerBytes() < 0 ? "–" : (r.memoryPerViewerBytes() / 1024) + " KB"));
    }
    if (results.size() == 2 && results.get(1).viewersPerCore() > 0 && results.get(0).viewersPerCore() > 0) {
      sb.append(String.format(Locale.ROOT, "\n**Ratio %s / %s: %.2f× viewers per core, %.2f× viewers sustained.**\n",
          results.get(0).server(), results.get(1).server(),
          results.get(0).viewersPerCore() / results.get(1).viewersPerCore(),
          (double) results.get(0).sustainedViewers() / Math.max(1, results.get(1).sustainedViewers())));
    }
    if (results.size() == 2) {
      sb.append(equalLoad(results.get(0), results.get(1)));
    }
    sb.append("\n![server CPU and p99 forwarding delay against viewers](").append(plot.toString().replace('\\', '/'))
        .append(")\n");
    for (FanoutResult r : results) {
      sb.append("\n<details><summary>").append(r.server()).append(": every step</summary>\n\n");
      boolean ownDelay = r.steps().stream().anyMatch(s -> s.serverDelayP99Ms() >= 0);
      sb.append("| viewers | pkt/s out | Mbit/s out | loss % | delay p50 ms | delay p99 ms |"
          + (ownDelay ? " server's own p99 ms |" : "") + " join p50 ms | server CPU % | server RSS MB | generator CPU % |"
          + " held |\n|---:|---:|---:|---:|---:|---:|" + (ownDelay ? "---:|" : "") + "---:|---:|---:|---:|:---:|\n");
      for (FanoutResult.Step s : r.steps()) {
        sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.4f | %.2f | %.2f |%s %d | %.0f | %d | %.0f | %s |\n",
            s.viewers(), s.packetsPerSecond(), s.megabitsPerSecond(), s.lossPercent(), s.delayP50Ms(), s.delayP99Ms(),
            ownDelay ? " " + ServerForwardDelay.formatBound(s.serverDelayP99Ms()) + " |" : "", s.joinP50Ms(),
            s.serverCpuPercent(), s.serverRssBytes() >> 20, s.generatorCpuPercent(), s.passed() ? "yes" : "no"));
      }
      sb.append("\n</details>\n");
    }
    return sb.append(END).toString();
  }
}
