package io.projector.signaling.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues TURN credentials in coturn's REST scheme ({@code use-auth-secret}, draft-uberti-behave-turn-rest): the
 * username is {@code <expiry unix time>:<random peer id>} and the password is
 * {@code base64(HMAC-SHA1(secret, username))}. coturn recomputes the password from the username with the same
 * shared secret and refuses usernames whose time has passed, so nothing has to be stored or revoked here, and a
 * credential seen by a client is useless to anyone else after the TTL. Thread-safe.
 */
public final class TurnCredentials {
  /** One issued credential. {@code toString()} omits the password. */
  public record Credential(String username, String password, long expiresAtEpochSeconds) {
    @Override
    public String toString() {
      return "Credential[username=" + username + ", expires=" + expiresAtEpochSeconds + "]";
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;
  private final long ttlSeconds;
  private final Clock clock;

  public TurnCredentials(TurnConfig config, Clock clock) {
    if (config.secret().isEmpty()) {
      throw new IllegalArgumentException("TURN credentials need a secret");
    }
    this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    this.ttlSeconds = config.ttlSeconds();
    this.clock = clock;
  }

  /** A fresh credential for one peer, valid for the configured TTL from now. */
  public Credential issue() {
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    String peerId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    long expiry = clock.instant().getEpochSecond() + ttlSeconds;
    String username = expiry + ":" + peerId;
    return new Credential(username, password(key, username), expiry);
  }

  /** coturn's password for {@code username}: base64(HMAC-SHA1(secret, username)). */
  public static String password(String secret, String username) {
    return password(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"), username);
  }

  private static String password(SecretKeySpec key, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1"); // Mac objects are not thread-safe: one per call (cheap)
      mac.init(key);
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
    }
  }
}
