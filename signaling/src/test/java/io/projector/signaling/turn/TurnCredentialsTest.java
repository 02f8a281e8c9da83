package io.projector.signaling.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
  static final String SECRET = "projector-test-secret-0123456789";

  @Test
  void passwordIsBase64OfHmacSha1OfTheUsernameAsCoturnComputesIt() {
    // Computed independently with:
    // printf '%s' '1700000000:peer-42' | openssl dgst -sha1 -hmac 'projector-test-secret-0123456789' -binary | base64
    assertEquals("lPqph1iUhXhO7/fF7y8Izxg4zTU=", TurnCredentials.password(SECRET, "1700000000:peer-42"));
    assertEquals("0CGnTNhsaGYm6EMfsWzEzrtlNLs=", TurnCredentials.password(SECRET, "1700003600:AAECAwQFBgcICQoL"));
  }

  @Test
  void issuedUsernameIsExpiryColonRandomPeerIdAndExpiresAfterTheTtl() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    TurnCredentials issuer = new TurnCredentials(new TurnConfig(
        List.of(TurnUrl.parse("turn:turn.example.com")), SECRET, 600), clock);
    TurnCredentials.Credential a = issuer.issue();
    TurnCredentials.Credential b = issuer.issue();
    assertEquals(1_700_000_600L, a.expiresAtEpochSeconds());
    assertTrue(a.username().matches("1700000600:[A-Za-z0-9_-]{16}"), a.username());
    assertEquals(TurnCredentials.password(SECRET, a.username()), a.password());
    assertNotEquals(a.username(), b.username(), "every peer gets its own username");
    assertNotEquals(a.password(), b.password());
    assertFalse(a.toString().contains(a.password()), "toString must not show the password");
  }
}
