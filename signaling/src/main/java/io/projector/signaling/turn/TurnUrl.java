package io.projector.signaling.turn;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One STUN/TURN server URL as browsers accept it in {@code RTCIceServer.urls} (RFC 7064/7065):
 * {@code turn:host[:port][?transport=udp|tcp]}, {@code turns:host[:port][?transport=tcp]}, {@code stun:host[:port]},
 * {@code stuns:host[:port]}. Validated at start-up so that a typo stops the server instead of silently giving
 * browsers a server they ignore.
 *
 * @param uri the URL exactly as it is handed to clients
 * @param scheme {@code turn}, {@code turns}, {@code stun} or {@code stuns}
 */
public record TurnUrl(String uri, String scheme) {
  // host: a DNS name, an IPv4 literal or a bracketed IPv6 literal; then an optional port and transport.
  private static final Pattern FORM = Pattern.compile(
      "(?<scheme>[a-zA-Z]+):(?<host>\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?"
          + "(?:\\?transport=(?<transport>[a-zA-Z]+))?");

  /** Whether clients need credentials for this server (TURN relays do; STUN servers do not). */
  public boolean needsCredentials() {
    return scheme.startsWith("turn");
  }

  /**
   * Parses and checks one URL.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it
   */
  public static TurnUrl parse(String text) {
    String uri = text.trim();
    Matcher m = FORM.matcher(uri);
    if (!m.matches()) {
      throw bad(uri, "expected turn:HOST[:PORT][?transport=udp|tcp], turns:HOST[:PORT][?transport=tcp] "
          + "or stun:HOST[:PORT] (no '//', no path)");
    }
    String scheme = m.group("scheme").toLowerCase(Locale.ROOT);
    if (!scheme.equals("turn") && !scheme.equals("turns") && !scheme.equals("stun") && !scheme.equals("stuns")) {
      throw bad(uri, "the scheme must be turn, turns, stun or stuns");
    }
    String host = m.group("host");
    if (host.startsWith(".") || host.endsWith(".") || host.startsWith("-")) {
      throw bad(uri, "'" + host + "' is not a host name");
    }
    if (m.group("port") != null) {
      int port = Integer.parseInt(m.group("port"));
      if (port < 1 || port > 65535) {
        throw bad(uri, "the port must be 1..65535");
      }
    }
    String transport = m.group("transport");
    if (transport != null) {
      String t = transport.toLowerCase(Locale.ROOT);
      if (scheme.startsWith("stun")) {
        throw bad(uri, "stun URLs take no transport");
      }
      if (!t.equals("udp") && !t.equals("tcp")) {
        throw bad(uri, "transport must be udp or tcp");
      }
      if (scheme.equals("turns") && t.equals("udp")) {
        throw bad(uri, "turns (TURN over TLS) runs over tcp; browsers do not support TURN over DTLS");
      }
    }
    return new TurnUrl(uri, scheme);
  }

  private static IllegalArgumentException bad(String uri, String why) {
    return new IllegalArgumentException("turn-urls: '" + uri + "' is not a usable STUN/TURN URL: " + why);
  }
}
