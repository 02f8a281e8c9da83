package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated internet built from network namespaces (see shared/nat-testing.md), entirely inside this machine:
 *
 * <pre>
 *   "internet" bridge 100.64.0.0/24, sink 100.64.0.1 (no forwarding: public hosts' default route ends there)
 *     ├─ sfugw 100.64.0.10 ── 1:1 NAT ── sfu 10.100.0.10   (a cloud VM: the SFU announces --public-ip)
 *     ├─ turn  100.64.0.20                                   (coturn)
 *     ├─ d1 100.64.0.31, d2 100.64.0.32                      (clients on the public network, no NAT)
 *     ├─ r1 100.64.0.101 ── c1 10.200.1.2                    (home router + client; NAT mode per case)
 *     └─ r2 100.64.0.102 ── c2 10.200.2.2
 * </pre>
 *
 * Namespace names carry this JVM's pid, so a later run can remove what a killed run left behind.
 */
final class NatLab implements AutoCloseable {
  static final String PREFIX = "pjnat-";
  static final String SINK = "100.64.0.1";
  static final String SFU_PUBLIC = "100.64.0.10";
  static final String SFU_PRIVATE = "10.100.0.10";
  static final String TURN = "100.64.0.20";

  /** What a home router does to its client's traffic. */
  enum Mode {
    /** Endpoint-independent mapping (port-restricted cone). */
    CONE,
    /** A new port for every destination. */
    SYMMETRIC,
    /** Cone NAT that lets through only TCP to the web server and to TURN over TLS: no UDP at all. */
    UDP_BLOCKED
  }

  final String id;
  final Path dir;
  private final List<String> namespaces = new ArrayList<>();
  private final int httpPort;
  private final int turnTlsPort;

  private NatLab(String id, Path dir, int httpPort, int turnTlsPort) {
    this.id = id;
    this.dir = dir;
    this.httpPort = httpPort;
    this.turnTlsPort = turnTlsPort;
  }

  String ns(String role) {
    return id + "-" + role;
  }

  /** Builds the topology; on any failure removes what was built and rethrows. */
  static NatLab create(int httpPort, int turnTlsPort) throws IOException {
    removeStale();
    String id = PREFIX + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    NatLab lab = new NatLab(id, Files.createTempDirectory(id), httpPort, turnTlsPort);
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build() {
    String inet = add("inet");
    Sh.in(inet, "ip", "link", "add", "br0", "type", "bridge");
    Sh.in(inet, "ip", "addr", "add", SINK + "/24", "dev", "br0");
    Sh.in(inet, "ip", "link", "set", "br0", "up");
    publicHost("sfugw", "100.64.0.10");
    publicHost("turn", TURN);
    publicHost("d1", "100.64.0.31");
    publicHost("d2", "100.64.0.32");
    publicHost("r1", "100.64.0.101");
    publicHost("r2", "100.64.0.102");
    lan("sfugw", "sfu", "10.100.0.1", SFU_PRIVATE);
    lan("r1", "c1", "10.200.1.1", "10.200.1.2");
    lan("r2", "c2", "10.200.2.1", "10.200.2.2");
    // The cloud provider's 1:1 NAT in front of the SFU host.
    String gw = ns("sfugw");
    Sh.in(gw, "iptables", "-t", "nat", "-A", "PREROUTING", "-i", "wan", "-d", SFU_PUBLIC, "-j", "DNAT",
        "--to-destination", SFU_PRIVATE);
    Sh.in(gw, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-s", SFU_PRIVATE, "-j", "SNAT",
        "--to-source", SFU_PUBLIC);
  }

  private String add(String role) {
    String ns = ns(role);
    Sh.run("ip", "netns", "add", ns);
    namespaces.add(ns);
    Sh.in(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    Sh.in(ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    Sh.in(ns, "ip", "link", "set", "lo", "up");
    return ns;
  }

  /** A namespace on the internet bridge, its default route ending at the sink. */
  private void publicHost(String role, String address) {
    String ns = add(role);
    String inet = ns("inet");
    Sh.in(inet, "ip", "link", "add", "v-" + role, "type", "veth", "peer", "name", "wan", "netns", ns);
    Sh.in(inet, "ip", "link", "set", "v-" + role, "master", "br0", "up");
    Sh.in(ns, "ip", "addr", "add", address + "/24", "dev", "wan");
    Sh.in(ns, "ip", "link", "set", "wan", "up");
    Sh.in(ns, "ip", "route", "add", "default", "via", SINK);
  }

  /** A host behind router {@code router} on its LAN; the router forwards. */
  private void lan(String router, String role, String routerAddress, String address) {
    String r = ns(router);
    String ns = add(role);
    Sh.in(r, "ip", "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", ns);
    Sh.in(r, "ip", "addr", "add", routerAddress + "/24", "dev", "lan");
    Sh.in(r, "ip", "link", "set", "lan", "up");
    Sh.in(r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    Sh.in(ns, "ip", "addr", "add", address + "/24", "dev", "eth0");
    Sh.in(ns, "ip", "link", "set", "eth0", "up");
    Sh.in(ns, "ip", "route", "add", "default", "via", routerAddress);
  }

  /** Sets home router {@code router} ("r1" or "r2") to {@code mode}, replacing its previous rules. */
  void routerMode(String router, Mode mode) {
    String r = ns(router);
    String lan = router.equals("r1") ? "10.200.1.0/24" : "10.200.2.0/24";
    Sh.in(r, "iptables", "-F");
    Sh.in(r, "iptables", "-t", "nat", "-F");
    // Like a home router: nothing unsolicited reaches the router itself (else an unreplied conntrack entry from
    // an early hole-punching packet makes the cone NAT pick another port).
    Sh.in(r, "iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j",
        "ACCEPT");
    Sh.in(r, "iptables", "-A", "INPUT", "-i", "wan", "-j", "DROP");
    List<String> masquerade = new ArrayList<>(List.of("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan",
        "-s", lan, "-j", "MASQUERADE"));
    if (mode == Mode.SYMMETRIC) {
      masquerade.add("--random-fully");
    }
    Sh.in(r, masquerade.toArray(String[]::new));
    if (mode == Mode.UDP_BLOCKED) {
      Sh.in(r, "iptables", "-A", "FORWARD", "-i", "lan", "-p", "tcp", "-d", SFU_PUBLIC, "--dport", "" + httpPort,
          "-j", "ACCEPT");
      Sh.in(r, "iptables", "-A", "FORWARD", "-i", "lan", "-p", "tcp", "-d", TURN, "--dport", "" + turnTlsPort, "-j",
          "ACCEPT");
      Sh.in(r, "iptables", "-A", "FORWARD", "-i", "lan", "-j", "DROP");
      Sh.in(r, "iptables", "-A", "FORWARD", "-o", "lan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j",
          "ACCEPT");
      Sh.in(r, "iptables", "-A", "FORWARD", "-o", "lan", "-j", "DROP");
    }
  }

  /** Forgets every NAT mapping and connection, so that one case cannot help or hinder the next. */
  void flushConntrack() {
    for (String role : List.of("r1", "r2", "sfugw")) {
      Sh.Result r = Sh.exec(List.of("ip", "netns", "exec", ns(role), "conntrack", "-F"));
      // conntrack -F exits 1 with "0 flow entries" on an empty table on some versions: only errors matter.
      if (r.exit() != 0 && !r.err().toLowerCase(Locale.ROOT).contains("flow entries")) {
        throw new IllegalStateException("conntrack -F in " + role + " failed: " + r.err());
      }
    }
  }

  /** A script that starts Chromium inside {@code role}'s namespace (Playwright's pipes survive the exec). */
  Path chromiumIn(String role, Path chromium) throws IOException {
    Path script = dir.resolve("chromium-" + role + ".sh");
    Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + ns(role) + " " + chromium + " \"$@\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  /** Whether TCP {@code address:port} accepts connections, seen from {@code role}'s namespace. */
  boolean tcpOpen(String role, String address, int port) {
    return Sh.exec(List.of("ip", "netns", "exec", ns(role), "timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + address + "/" + port)).exit() == 0;
  }

  @Override
  public void close() {
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      removeNamespace(namespaces.get(i));
    }
    namespaces.clear();
    deleteTree(dir);
  }

  /** Removes namespaces (and their processes) left by runs whose JVM is gone. */
  static void removeStale() {
    for (String line : Sh.exec(List.of("ip", "netns", "list")).out().split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = ns.substring(PREFIX.length()).split("-");
      try {
        if (ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // a run in progress
        }
      } catch (NumberFormatException e) {
        // not one of ours after all: fall through only for our exact naming
        continue;
      }
      removeNamespace(ns);
    }
  }

  private static void removeNamespace(String ns) {
    // Processes inside keep a namespace alive after "ip netns delete": end them first (only ever ours).
    for (String pid : Sh.exec(List.of("ip", "netns", "pids", ns)).out().split("\\s+")) {
      if (!pid.isBlank()) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    Sh.tryRun("ip", "netns", "delete", ns);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory: the OS cleans it eventually
    }
  }
}
