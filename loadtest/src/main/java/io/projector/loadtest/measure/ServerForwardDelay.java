package io.projector.loadtest.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Projector's own view of its forwarding delay: the {@code projector_forward_delay_seconds} histogram on its
 * {@code /metrics} page (every presenter packet, from its arrival on the media port to its hand-off for the last
 * viewer). Two snapshots bracket a step's window; their difference gives the window's quantiles, to compare with
 * the delay the viewers measure end to end (which also holds the kernel's delivery and the generator's own
 * scheduling). Janus publishes no such histogram.
 */
public final class ServerForwardDelay {
  private static final Pattern BUCKET = Pattern.compile(
      "^projector_forward_delay_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);

  /** Cumulative bucket counts by upper bound in seconds (+Inf as infinity). */
  public record Snapshot(double[] upperBoundsSeconds, double[] cumulativeCounts) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI metrics;

  public ServerForwardDelay(String serverBase) {
    this.metrics = URI.create(serverBase.replaceAll("/+$", "") + "/metrics");
  }

  /** The histogram now, or null when the page cannot be read or has no such histogram. */
  public Snapshot snapshot() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? parse(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The histogram in a Prometheus text page, or null when it has none. */
  public static Snapshot parse(String page) {
    TreeMap<Double, Double> byBound = new TreeMap<>();
    Matcher m = BUCKET.matcher(page);
    while (m.find()) {
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      byBound.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    if (byBound.isEmpty()) {
      return null;
    }
    List<Double> bounds = new ArrayList<>(byBound.keySet());
    double[] le = new double[bounds.size()];
    double[] counts = new double[bounds.size()];
    for (int i = 0; i < le.length; i++) {
      le[i] = bounds.get(i);
      counts[i] = byBound.get(le[i]);
    }
    return new Snapshot(le, counts);
  }

  /**
   * The upper bound, in milliseconds, of the bucket that holds the {@code percentile}-th packet forwarded between
   * two snapshots (a histogram gives bounds, not exact values); -1 when nothing was forwarded or a snapshot is
   * missing, infinity when it lies beyond the last finite bucket.
   */
  public static double percentileMs(Snapshot before, Snapshot after, double percentile) {
    if (before == null || after == null) {
      return -1;
    }
    double[] le = after.upperBoundsSeconds();
    double[] delta = new double[le.length];
    for (int i = 0; i < le.length; i++) {
      delta[i] = after.cumulativeCounts()[i] - countAt(before, le[i]);
    }
    double total = delta[le.length - 1];
    if (total <= 0) {
      return -1;
    }
    double rank = percentile / 100.0 * total * (1 - 1e-12); // 99.9 % of 1000 is 999, not 999.0000000000001
    for (int i = 0; i < le.length; i++) {
      if (delta[i] >= rank) {
        return le[i] * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * A percentile from {@link #percentileMs} as reports show it: "≤ 1.4", "≤ 28", "> 100" (beyond the histogram's
   * last bucket: Projector's ends at 100 ms), or "n/a" when there is none.
   */
  public static String formatBound(double ms) {
    if (ms < 0) {
      return "n/a";
    }
    if (Double.isInfinite(ms)) {
      return "> 100";
    }
    return "≤ " + (ms >= 10 ? String.format(java.util.Locale.ROOT, "%.0f", ms)
        : String.format(java.util.Locale.ROOT, "%.1f", ms));
  }

  private static double countAt(Snapshot s, double le) {
    double[] bounds = s.upperBoundsSeconds();
    for (int i = 0; i < bounds.length; i++) {
      if (bounds[i] == le) {
        return s.cumulativeCounts()[i];
      }
    }
    return 0;
  }
}
