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
    require("the NAT matrix", List.of("ip", "iptables", "conntrack", "openssl", "turnserver"));
  }

  /** The same checks for {@code what} (a test class's subject), needing only {@code tools}. */
  static void require(String what, List<String> tools) {
    String missing = missing(tools);
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true: " + what + " must run, but " + missing);
    }
    Assumptions.abort(what + " skipped: " + missing);
  }

  private static String missing(List<String> tools) {
    if (!"0".equals(Sh.exec(List.of("id", "-u")).out().trim())) {
      return "it needs root (network namespaces and iptables)";
    }
    for (String tool : tools) {
      if (!Sh.available(tool)) {
        return "'" + tool + "' is not installed (apt-get install iproute2 iptables conntrack openssl coturn curl)";
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
