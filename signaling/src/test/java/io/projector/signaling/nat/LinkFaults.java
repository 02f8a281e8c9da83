package io.projector.signaling.nat;

import java.util.List;
import java.util.Locale;

/**
 * Link faults on a home router of a {@link NatLab} (shared/nat-testing.md: no {@code tc netem} here). Random
 * loss is an iptables rule in the router's FORWARD chain that drops UDP (media, RTCP, STUN) in both directions
 * between its client and the internet; a rate limit is a token bucket on the router's LAN interface, so it
 * shapes what flows to the client (its download). Everything stays inside the lab's namespaces.
 */
final class LinkFaults {
  private final NatLab lab;

  LinkFaults(NatLab lab) {
    this.lab = lab;
  }

  private static List<String> lossRule(double probability) {
    return List.of("FORWARD", "-p", "udp", "-m", "statistic", "--mode", "random", "--probability",
        String.format(Locale.ROOT, "%.4f", probability), "-j", "DROP");
  }

  /** Drops each UDP packet through {@code router} with {@code probability}. */
  void randomLoss(String router, double probability) {
    String[] cmd = concat(List.of("iptables", "-I"), lossRule(probability));
    Sh.in(lab.ns(router), cmd);
  }

  /** Limits what {@code router} forwards to its client to {@code rate} (tc syntax, e.g. "1mbit"). */
  void rateLimit(String router, String rate) {
    Sh.in(lab.ns(router), "tc", "qdisc", "replace", "dev", "lan", "root", "tbf", "rate", rate, "burst", "32kbit",
        "latency", "50ms");
  }

  /** Packets the loss rule of {@code router} has dropped so far (0 without the rule). */
  long lossDrops(String router) {
    String out = Sh.in(lab.ns(router), "iptables", "-L", "FORWARD", "-v", "-n", "-x");
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && "DROP".equals(f[2]) && line.contains("statistic")) {
        return Long.parseLong(f[0]);
      }
    }
    return 0;
  }

  /** What the token bucket on {@code router}'s LAN interface reports (sent, dropped, overlimits). */
  String rateLimitStats(String router) {
    return Sh.in(lab.ns(router), "tc", "-s", "qdisc", "show", "dev", "lan").trim().replaceAll("\\s+", " ");
  }

  /** Packets the token bucket dropped so far. */
  long rateLimitDrops(String router) {
    var m = java.util.regex.Pattern.compile("dropped (\\d+)").matcher(rateLimitStats(router));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** Removes every fault from {@code router} (its NAT rules stay). */
  void clear(String router) {
    String ns = lab.ns(router);
    // Loss rules, whatever their probability, by position.
    for (int guard = 0; guard < 10; guard++) {
      String out = Sh.in(ns, "iptables", "-L", "FORWARD", "--line-numbers", "-n");
      String num = null;
      for (String line : out.split("\n")) {
        if (line.contains("statistic") && line.contains("DROP")) {
          num = line.trim().split("\\s+")[0];
          break;
        }
      }
      if (num == null) {
        break;
      }
      Sh.in(ns, "iptables", "-D", "FORWARD", num);
    }
    Sh.exec(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "lan", "root"));
  }

  private static String[] concat(List<String> a, List<String> b) {
    String[] r = new String[a.size() + b.size()];
    for (int i = 0; i < a.size(); i++) {
      r[i] = a.get(i);
    }
    for (int i = 0; i < b.size(); i++) {
      r[a.size() + i] = b.get(i);
    }
    return r;
  }
}
