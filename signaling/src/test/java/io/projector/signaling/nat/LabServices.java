package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the SFU (this build's server, from the test classpath) inside the lab's "cloud VM" namespace. */
final class LabServices {
  static final int HTTP_PORT = 8080;
  static final int MEDIA_PORT = 10000;

  private LabServices() {}

  /** What the lab's SFU hands to clients: TURN over TLS first, then plain TURN over UDP and TCP. */
  static String turnUrls() {
    return "turns:" + NatLab.TURN + ":" + Coturn.TLS_PORT + "?transport=tcp,"
        + "turn:" + NatLab.TURN + ":" + Coturn.PORT + "?transport=udp,"
        + "turn:" + NatLab.TURN + ":" + Coturn.PORT + "?transport=tcp";
  }

  /**
   * The SFU binds its private address and announces the public one, as on a cloud VM behind 1:1 NAT. The TURN
   * secret goes in the environment, as the README recommends, never on the command line.
   */
  static Daemon startSfu(NatLab lab, String secret) throws IOException, InterruptedException {
    return startSfu(lab, Map.of("PROJECTOR_TURN_URLS", turnUrls(), "PROJECTOR_TURN_SECRET", secret,
        "PROJECTOR_TURN_TTL", "600"));
  }

  /** The same SFU with {@code env} as its extra environment (empty: no TURN, for tests that need no relay). */
  static Daemon startSfu(NatLab lab, Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // The export the server jar's manifest carries: batched sends need the media port's socket descriptors.
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx512m",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "io.projector.signaling.Main",
        "--http-port", "" + HTTP_PORT, "--media-port", "" + MEDIA_PORT,
        "--media-bind", NatLab.SFU_PRIVATE, "--public-ip", NatLab.SFU_PUBLIC));
    Daemon sfu = Daemon.start("projector", lab.ns("sfu"), cmd, env, lab.dir.resolve("projector.log"));
    // Reachable through the 1:1 NAT from a public client: the pages' origin.
    sfu.await(() -> sfu.output().contains("ready for traffic") && lab.tcpOpen("d1", NatLab.SFU_PUBLIC, HTTP_PORT),
        60_000);
    if (!sfu.output().contains("batched with sendmmsg")) { // the lab runs the production send path, or stops
      throw new IllegalStateException("the lab's SFU does not batch its sends; its log:\n" + sfu.output());
    }
    return sfu;
  }

  /** One line about where the numbers come from. */
  static String machine(String chromiumVersion) {
    String os = "Linux";
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          os = line.substring(12).replace("\"", "");
        }
      }
    } catch (IOException ignored) {
      // keep "Linux"
    }
    String coturn = Sh.exec(List.of("turnserver", "--version")).out().trim();
    String load = "?";
    try {
      load = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException ignored) {
      // keep "?"
    }
    return Runtime.getRuntime().availableProcessors() + " cores, " + os + ", kernel "
        + System.getProperty("os.version") + ", Chromium " + chromiumVersion + ", coturn " + coturn
        + ", Java " + System.getProperty("java.version") + ", load average " + load
        + " when the table was written; links are namespace veth pairs (no added delay)";
  }
}
