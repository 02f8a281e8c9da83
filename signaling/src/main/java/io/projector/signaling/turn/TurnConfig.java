package io.projector.signaling.turn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The TURN relays (coturn, {@code use-auth-secret}) that browsers may use, and the shared secret from which
 * Projector derives short-lived per-peer credentials. {@link #toString()} never shows the secret: this record
 * ends up in ServerConfig, which may be printed.
 *
 * @param urls STUN/TURN URLs handed to clients, in the order given (put the preferred relay first)
 * @param secret coturn's {@code static-auth-secret}; empty when no TURN URL is configured
 * @param ttlSeconds how long issued credentials stay valid
 */
public record TurnConfig(List<TurnUrl> urls, String secret, long ttlSeconds) {
  public static final long DEFAULT_TTL_SECONDS = 3600;
  public static final long MIN_TTL_SECONDS = 60;
  public static final long MAX_TTL_SECONDS = 86_400;
  /** An HMAC key much shorter than this can be brute-forced from one issued username/password pair. */
  public static final int MIN_SECRET_BYTES = 16;

  public TurnConfig {
    urls = List.copyOf(urls);
    secret = secret == null ? "" : secret;
    if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException("turn-ttl must be " + MIN_TTL_SECONDS + ".." + MAX_TTL_SECONDS
          + " seconds, got " + ttlSeconds);
    }
    boolean relays = urls.stream().anyMatch(TurnUrl::needsCredentials);
    if (relays && secret.isEmpty()) {
      throw new IllegalArgumentException("turn-secret (PROJECTOR_TURN_SECRET) is required when turn-urls has "
          + "turn: or turns: URLs; it must equal coturn's static-auth-secret");
    }
    if (!relays && !secret.isEmpty()) {
      throw new IllegalArgumentException("turn-secret is set but turn-urls has no turn: or turns: URL to use it "
          + "with; set PROJECTOR_TURN_URLS too");
    }
    if (relays && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("turn-secret must be at least " + MIN_SECRET_BYTES
          + " bytes long (e.g. openssl rand -hex 32)");
    }
  }

  /** No STUN/TURN servers: clients connect to the SFU directly. */
  public static TurnConfig none() {
    return new TurnConfig(List.of(), "", DEFAULT_TTL_SECONDS);
  }

  /**
   * Builds the configuration from the raw settings.
   *
   * @param urls comma-separated URLs (may be blank)
   * @param secret the shared secret (may be blank)
   * @param ttlSeconds credential lifetime
   * @throws IllegalArgumentException naming the bad setting, never quoting the secret
   */
  public static TurnConfig of(String urls, String secret, long ttlSeconds) {
    List<TurnUrl> parsed = new ArrayList<>();
    for (String u : urls.split(",")) {
      if (!u.isBlank()) {
        parsed.add(TurnUrl.parse(u));
      }
    }
    return new TurnConfig(parsed, secret == null ? "" : secret.trim(), ttlSeconds);
  }

  public boolean enabled() {
    return !urls.isEmpty();
  }

  /** Without the secret, which must never reach a log line. */
  @Override
  public String toString() {
    return "TurnConfig[urls=" + urls.stream().map(TurnUrl::uri).toList() + ", secret="
        + (secret.isEmpty() ? "none" : "(set, hidden)") + ", ttlSeconds=" + ttlSeconds + "]";
  }
}
