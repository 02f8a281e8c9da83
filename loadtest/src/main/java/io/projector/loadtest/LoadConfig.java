package io.projector.loadtest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's options (command line {@code --name value}; every one has a default).
 *
 * @param server base URL of the server's HTTP API, e.g. http://127.0.0.1:8080 (Janus: http://host:8088/janus)
 * @param target "projector" (WHIP/WHEP) or "janus" (VideoRoom over the Janus HTTP API)
 * @param viewers viewers at the end of the run
 * @param rampStep viewers added per step (= viewers: one step)
 * @param stepSeconds seconds each step is measured after its viewers have joined
 * @param settleSeconds seconds between the last join of a step and its measurement (join work subsides)
 * @param joinsPerSecond how fast viewers join within a step
 * @param bitrateKbps the presenter's video bitrate
 * @param sampleViewers how many viewers decrypt every packet and measure delay (spread over all viewers)
 * @param maxLossPercent threshold: packets lost (after NACKs) in a step, in percent of those expected
 * @param maxP99Ms threshold: 99th percentile one-way forwarding delay in a step
 * @param untilThreshold ramp until a step breaks a threshold and report the last one that held (exit 0)
 * @param serverPid the server's process id for CPU and memory figures (-1: not measured)
 * @param json where to write the results as JSON (null: nowhere)
 * @param bind the local address the peers' sockets use (null: the one the kernel routes toward the server)
 * @param holdWindows once all viewers have joined, this many more windows of stepSeconds are measured with the
 *     same viewers (repeated measurements at one load, e.g. for a side-by-side comparison)
 */
public record LoadConfig(String server, String target, int viewers, int rampStep, int stepSeconds, int settleSeconds,
    int joinsPerSecond, int bitrateKbps, int sampleViewers, double maxLossPercent, double maxP99Ms,
    boolean untilThreshold, long serverPid, String json, String bind, int holdWindows) {

  public static final String USAGE = """
      usage: java -jar loadtest/target/projector-loadtest.jar [options]
        --server URL            server HTTP base (default http://127.0.0.1:8080; Janus: http://HOST:8088/janus)
        --target NAME           projector | janus (default projector)
        --viewers N             viewers at the end (default 100)
        --ramp-step N           viewers added per step (default: all at once)
        --step-seconds S        measurement time per step after its viewers joined (default 10)
        --duration-seconds S    the same (without --ramp-step there is one step: the run's duration)
        --settle-seconds S      wait after a step's joins before measuring (default 3)
        --joins-per-second N    join rate (default 50)
        --bitrate-kbps N        presenter bitrate (default 2500)
        --sample-viewers N      viewers that decrypt every packet and measure delay (default 50)
        --max-loss-percent P    threshold for lost packets after NACKs (default 0.1)
        --max-p99-ms MS         threshold for the 99th percentile forwarding delay (default 20)
        --until-threshold       ramp until a step breaks a threshold; report the last step that held
        --server-pid PID        the server process, for CPU and memory per viewer
        --json FILE             also write the results as JSON
        --bind ADDRESS          local address for the peers' sockets (default: the route toward the server)
        --hold-windows N        after the last joins, measure N more windows at the same viewer count (default 0)
      exit code: 0 when the last step met both thresholds (or with --until-threshold), 1 when not, 2 on errors""";

  private static final Set<String> VALUED = Set.of("--server", "--target", "--viewers", "--ramp-step",
      "--step-seconds", "--duration-seconds", "--settle-seconds", "--joins-per-second", "--bitrate-kbps", "--sample-viewers", "--max-loss-percent",
      "--max-p99-ms", "--server-pid", "--json", "--bind", "--hold-windows");

  /** Parses {@code --name value} options; throws IllegalArgumentException with a clear message. */
  public static LoadConfig parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    boolean untilThreshold = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--until-threshold")) {
        untilThreshold = true;
      } else if (!VALUED.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      } else if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      } else {
        o.put(name, args[++i]);
      }
    }
    if (o.containsKey("--duration-seconds")) {
      if (o.containsKey("--step-seconds")) {
        throw new IllegalArgumentException("give --step-seconds or --duration-seconds, not both");
      }
      o.put("--step-seconds", o.get("--duration-seconds"));
    }
    String target = o.getOrDefault("--target", "projector").toLowerCase(Locale.ROOT);
    if (!target.equals("projector") && !target.equals("janus")) {
      throw new IllegalArgumentException("--target must be projector or janus, not " + o.get("--target"));
    }
    return new LoadConfig(o.getOrDefault("--server", "http://127.0.0.1:8080"), target,
        positive(o, "--viewers", 100), positive(o, "--ramp-step", 0), positive(o, "--step-seconds", 10),
        nonNegativeInt(o, "--settle-seconds", 3),
        positive(o, "--joins-per-second", 50), positive(o, "--bitrate-kbps", 2500),
        positive(o, "--sample-viewers", 50), nonNegative(o, "--max-loss-percent", 0.1),
        nonNegative(o, "--max-p99-ms", 20), untilThreshold, positive(o, "--server-pid", -1), o.get("--json"),
        o.get("--bind"), nonNegativeInt(o, "--hold-windows", 0));
  }

  /** Viewers added per step: the ramp step, or all of them at once. */
  public int effectiveRampStep() {
    return rampStep <= 0 ? viewers : Math.min(rampStep, viewers);
  }

  private static int positive(Map<String, String> options, String name, int defaultValue) {
    String v = options.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " needs a positive whole number, not \"" + v + "\"");
  }

  private static int nonNegativeInt(Map<String, String> options, String name, int defaultValue) {
    double d = nonNegative(options, name, defaultValue);
    if (d != Math.rint(d)) {
      throw new IllegalArgumentException(name + " needs a whole number >= 0, not \"" + options.get(name) + "\"");
    }
    return (int) d;
  }

  private static double nonNegative(Map<String, String> options, String name, double defaultValue) {
    String v = options.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " needs a number >= 0, not \"" + v + "\"");
  }
}
