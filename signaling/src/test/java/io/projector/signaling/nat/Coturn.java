package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Debian's coturn running the production configuration, deploy/coturn/turnserver.conf, with only the
 * site-specific lines replaced for the lab: certificate (made here; Chromium runs with
 * {@code --ignore-certificate-errors}), secret, realm, the SFU's address in {@code allowed-peer-ip}, and logging
 * to stdout. So the peer rules, ports and TLS settings that operators deploy are the ones tested.
 */
final class Coturn {
  static final int PORT = 3478;
  static final int TLS_PORT = 443;
  static final String REALM = "projector.test";
  /** The placeholder for the SFU's address in the production file. */
  static final String SFU_PLACEHOLDER = "allowed-peer-ip=203.0.113.10";

  private Coturn() {}

  static Daemon start(NatLab lab, String secret) throws IOException, InterruptedException {
    Path dir = lab.dir.resolve("coturn");
    Files.createDirectories(dir);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Sh.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=turn." + REALM);
    Path production = Path.of(System.getProperty("basedir", "."), "..", "deploy", "coturn", "turnserver.conf")
        .normalize();
    List<String> lines = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    for (String line : Files.readAllLines(production)) {
      String k = line.contains("=") ? line.substring(0, line.indexOf('=')) : line.trim();
      String lab1 = switch (line.startsWith("#") ? "" : k) {
        case "cert" -> "cert=" + cert;
        case "pkey" -> "pkey=" + key;
        case "static-auth-secret" -> "static-auth-secret=" + secret;
        case "realm" -> "realm=" + REALM;
        case "syslog" -> "log-file=stdout";
        default -> line.equals(SFU_PLACEHOLDER) ? "allowed-peer-ip=" + NatLab.SFU_PUBLIC : null;
      };
      if (lab1 != null) {
        replaced.add(line.equals(SFU_PLACEHOLDER) ? "allowed-peer-ip" : k);
      }
      lines.add(lab1 != null ? lab1 : line);
    }
    if (replaced.size() != 6 || !lines.contains("tls-listening-port=" + TLS_PORT)
        || !lines.contains("listening-port=" + PORT)) {
      throw new IllegalStateException(production + " no longer has the lines the lab adapts (found " + replaced
          + "); update Coturn.java with it");
    }
    lines.addAll(List.of("listening-ip=" + NatLab.TURN, "relay-ip=" + NatLab.TURN,
        "userdb=" + dir.resolve("turndb"), "pidfile=" + dir.resolve("turnserver.pid"), ""));
    Path conf = dir.resolve("turnserver.conf");
    Files.writeString(conf, String.join("\n", lines));
    Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Daemon d = Daemon.start("coturn", lab.ns("turn"), List.of("turnserver", "-c", conf.toString()), Map.of(),
        dir.resolve("turnserver.log"));
    // Ready when both the plain and the TLS listener accept TCP, seen from a public client.
    d.await(() -> lab.tcpOpen("d1", NatLab.TURN, PORT) && lab.tcpOpen("d1", NatLab.TURN, TLS_PORT), 20_000);
    return d;
  }
}
