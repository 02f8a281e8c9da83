package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured matrix, written into docs/nat.md between {@code <!-- nat-matrix:begin -->} and
 * {@code <!-- nat-matrix:end -->} so the documentation always shows the last complete run.
 */
final class NatReport {
  static final String BEGIN = "<!-- nat-matrix:begin -->";
  static final String END = "<!-- nat-matrix:end -->";

  record Row(int number, String network, String presenterPath, String viewerPath, long presenterConnectMs,
      long viewerConnectMs, long viewerFirstFrameMs, String viewerTimeline) {}

  record Failure(String page, String problem, String message, long shownAfterMs) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized void add(Failure failure) {
    failures.add(failure);
  }

  synchronized int rowCount() {
    return rows.size();
  }

  synchronized String markdown(String machine) {
    StringBuilder b = new StringBuilder();
    b.append("Last measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(machine)
        .append(", by `NatMatrixBrowserIT` (times are single runs on a shared machine: measurements, not limits).")
        .append("\n\n| # | network | presenter's selected pair | viewer's selected pair | presenter connected | ")
        .append("viewer connected | viewer's first frame | viewer page's steps (ms from navigation) |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    rows.stream().sorted((x, y) -> Integer.compare(x.number(), y.number())).forEach(r -> b.append("| ")
        .append(r.number()).append(" | ").append(r.network()).append(" | ").append(r.presenterPath()).append(" | ")
        .append(r.viewerPath()).append(" | ").append(r.presenterConnectMs()).append(" ms | ")
        .append(r.viewerConnectMs()).append(" ms | ").append(r.viewerFirstFrameMs()).append(" ms | ")
        .append(r.viewerTimeline()).append(" |\n"));
    if (!failures.isEmpty()) {
      b.append("\nWhen media cannot connect, the page says why:\n\n| page | problem | message shown | shown after |\n")
          .append("|---|---|---|---|\n");
      for (Failure f : failures) {
        b.append("| ").append(f.page()).append(" | ").append(f.problem()).append(" | ")
            .append(f.message().replace("|", "\\|")).append(" | ").append(f.shownAfterMs()).append(" ms |\n");
      }
    }
    return b.toString();
  }

  /** Replaces the text between the markers; leaves the file alone when it or its markers are missing. */
  synchronized boolean writeInto(Path doc, String machine) throws IOException {
    if (!Files.isRegularFile(doc)) {
      return false;
    }
    String text = Files.readString(doc);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      return false;
    }
    String updated = text.substring(0, begin + BEGIN.length()) + "\n" + markdown(machine) + text.substring(end);
    Files.writeString(doc, updated);
    return true;
  }
}
