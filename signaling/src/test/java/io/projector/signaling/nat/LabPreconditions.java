package io.projector.signaling.nat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The NAT lab needs root, network namespaces, iptables, conntrack, openssl and coturn. Locally a missing piece
 * skips the tests; under CI=true it fails them (as Chromium.start() does), since .ci/run installs everything.
 */
final class LabPreconditions {
  private LabPreconditions() {}

  static void require() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true: the NAT matrix must run, but " + missing);
    }
    Assumptions.abort("NAT matrix skipped: " + missing);
  }

  private static String missing() {
    if (!"0".equals(Sh.exec(List.of("id", "-u")).out().trim())) {
      return "it needs root (network namespaces and iptables)";
    }
    for (String tool : List.of("ip", "iptables", "conntrack", "openssl", "turnserver")) {
      if (!Sh.available(tool)) {
        return "'" + tool + "' is not installed (apt-get install iproute2 iptables conntrack openssl coturn)";
      }
    }
    String probe = NatLab.PREFIX + ProcessHandle.current().pid() + "-probe";
    Sh.Result r = Sh.exec(List.of("ip", "netns", "add", probe));
    if (r.exit() != 0) {
      return "network namespaces are not usable here: " + r.err().trim();
    }
    Sh.Result nat = Sh.exec(List.of("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-L", "-n"));
    Sh.tryRun("ip", "netns", "delete", probe);
    if (nat.exit() != 0) {
      return "iptables NAT does not work in a network namespace: " + nat.err().trim();
    }
    return null;
  }
}
