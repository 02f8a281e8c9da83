package io.projector.signaling;

import io.projector.sfu.MediaConfig;
import io.projector.signaling.turn.TurnConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed configuration of the server process. Every field has a documented default (README "Configuration"),
 * can be set by a {@code PROJECTOR_*} environment variable, and is overridden by the matching command-line flag.
 *
 * @param httpHost address the HTTP server binds (default 0.0.0.0)
 * @param httpPort HTTP port (default 8080; 0 = pick a free one)
 * @param media media-plane configuration (media port default 10000)
 * @param sessionIdleTimeoutMs a session with no presenter and no viewers for this long ends (default 1 h)
 * @param turn STUN/TURN servers for clients and the secret for their credentials (default none)
 */
public record ServerConfig(String httpHost, int httpPort, MediaConfig media, long sessionIdleTimeoutMs,
    TurnConfig turn) {
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final long DEFAULT_SESSION_IDLE_TIMEOUT_MS = 60 * 60 * 1000L;

  public ServerConfig {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("HTTP port must be 0..65535, got " + httpPort);
    }
    if (sessionIdleTimeoutMs < 1000) {
      throw new IllegalArgumentException("session idle timeout must be at least 1000 ms");
    }
    turn = turn == null ? TurnConfig.none() : turn;
  }

  /** Without TURN servers. */
  public ServerConfig(String httpHost, int httpPort, MediaConfig media, long sessionIdleTimeoutMs) {
    this(httpHost, httpPort, media, sessionIdleTimeoutMs, TurnConfig.none());
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, MediaConfig.defaults(),
        DEFAULT_SESSION_IDLE_TIMEOUT_MS);
  }

  /** For tests: HTTP and media on free ports. */
  public static ServerConfig ephemeral() {
    return new ServerConfig("127.0.0.1", 0, MediaConfig.defaults().withMediaPort(0), DEFAULT_SESSION_IDLE_TIMEOUT_MS);
  }

  public ServerConfig withMedia(MediaConfig m) {
    return new ServerConfig(httpHost, httpPort, m, sessionIdleTimeoutMs, turn);
  }

  public ServerConfig withTurn(TurnConfig t) {
    return new ServerConfig(httpHost, httpPort, media, sessionIdleTimeoutMs, t);
  }

  /**
   * Reads the environment, then the flags ({@code --http-port 8080} or {@code --http-port=8080}).
   *
   * @throws IllegalArgumentException with a message naming the bad setting
   */
  public static ServerConfig load(Map<String, String> env, String[] args) {
    Map<String, String> flags = Flags.parse(args);
    String httpHost = pick(flags, "http-host", env, "PROJECTOR_HTTP_HOST", DEFAULT_HTTP_HOST);
    int httpPort = port(pick(flags, "http-port", env, "PROJECTOR_HTTP_PORT", "" + DEFAULT_HTTP_PORT), "http-port");
    int mediaPort = port(pick(flags, "media-port", env, "PROJECTOR_MEDIA_PORT", "" + MediaConfig.DEFAULT_MEDIA_PORT),
        "media-port");
    List<String> publicIps = list(pick(flags, "public-ip", env, "PROJECTOR_PUBLIC_IP", ""));
    List<InetAddress> bind = new ArrayList<>();
    for (String a : list(pick(flags, "media-bind", env, "PROJECTOR_MEDIA_BIND", ""))) {
      bind.add(literal(a, "media-bind"));
    }
    for (String ip : publicIps) {
      literal(ip, "public-ip");
    }
    long idleMs = seconds(pick(flags, "session-idle-timeout", env, "PROJECTOR_SESSION_IDLE_TIMEOUT",
        "" + DEFAULT_SESSION_IDLE_TIMEOUT_MS / 1000), "session-idle-timeout") * 1000;
    int startKbps = (int) seconds(pick(flags, "start-bitrate", env, "PROJECTOR_START_BITRATE_KBPS",
        "" + MediaConfig.DEFAULT_START_BITRATE_KBPS), "start-bitrate");
    int sendThreads = (int) seconds(pick(flags, "send-threads", env, "PROJECTOR_SEND_THREADS",
        "" + MediaConfig.DEFAULT_SEND_THREADS), "send-threads");
    if (sendThreads > 64) {
      throw new IllegalArgumentException("send-threads must be 0..64, got " + sendThreads);
    }
    MediaConfig media = MediaConfig.defaults().withMediaPort(mediaPort).withPublicAddresses(publicIps)
        .withBindAddresses(bind).withStartBitrateKbps(startKbps).withSendThreads(sendThreads);
    long turnTtl = seconds(pick(flags, "turn-ttl", env, "PROJECTOR_TURN_TTL", "" + TurnConfig.DEFAULT_TTL_SECONDS),
        "turn-ttl");
    TurnConfig turn = TurnConfig.of(pick(flags, "turn-urls", env, "PROJECTOR_TURN_URLS", ""),
        pick(flags, "turn-secret", env, "PROJECTOR_TURN_SECRET", ""), turnTtl);
    return new ServerConfig(httpHost, httpPort, media, idleMs, turn);
  }

  private static String pick(Map<String, String> flags, String flag, Map<String, String> env, String var,
      String def) {
    if (flags.containsKey(flag)) {
      return flags.get(flag);
    }
    String v = env.get(var);
    return v == null || v.isBlank() ? def : v.trim();
  }

  private static int port(String v, String name) {
    try {
      int p = Integer.parseInt(v.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a port number 0..65535, got '" + v + "'");
  }

  private static long seconds(String v, String name) {
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole non-negative number, got '" + v + "'");
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static InetAddress literal(String ip, String name) {
    if (!ip.matches("[0-9a-fA-F:.]+") || !(ip.contains(".") || ip.contains(":"))) {
      throw new IllegalArgumentException(name + " must be an IPv4 or IPv6 address, got '" + ip + "'");
    }
    try {
      return InetAddress.getByName(ip); // a literal: never a DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(name + " must be an IPv4 or IPv6 address, got '" + ip + "'");
    }
  }
}
