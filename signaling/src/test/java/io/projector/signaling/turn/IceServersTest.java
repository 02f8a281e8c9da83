package io.projector.signaling.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IceServersTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  private static IceServers servers(String urls) {
    return new IceServers(TurnConfig.of(urls, TurnCredentialsTest.SECRET, 3600), CLOCK);
  }

  @Test
  void linkHeadersFollowRfc9725WithOneHeaderPerUrlInConfiguredOrder() {
    IceServers s = servers("turns:turn.example.com:443?transport=tcp, turn:turn.example.com:3478?transport=udp,"
        + "stun:stun.example.com");
    var c = new TurnCredentials.Credential("1700003600:AAECAwQFBgcICQoL", "0CGnTNhsaGYm6EMfsWzEzrtlNLs=", 1700003600);
    assertEquals(List.of(
        "<turns:turn.example.com:443?transport=tcp>; rel=\"ice-server\"; username=\"1700003600:AAECAwQFBgcICQoL\";"
            + " credential=\"0CGnTNhsaGYm6EMfsWzEzrtlNLs=\"; credential-type=\"password\"",
        "<turn:turn.example.com:3478?transport=udp>; rel=\"ice-server\"; username=\"1700003600:AAECAwQFBgcICQoL\";"
            + " credential=\"0CGnTNhsaGYm6EMfsWzEzrtlNLs=\"; credential-type=\"password\"",
        "<stun:stun.example.com>; rel=\"ice-server\""), s.linkHeaders(c));
  }

  @Test
  void quotedStringsEscapeQuotesAndBackslashes() {
    assertEquals("\"a\\\"b\\\\c\"", IceServers.quoted("a\"b\\c"));
  }

  @Test
  void jsonGroupsStunAndTurnUrlsIntoRtcIceServerDictionaries() {
    IceServers s = servers("stun:stun.example.com:3478,turn:198.51.100.7?transport=udp,turns:[2001:db8::7]:443");
    var c = s.issue();
    JsonArray json = s.json(c);
    assertEquals(2, json.size());
    assertEquals(new JsonArray().add("stun:stun.example.com:3478"), json.getJsonObject(0).getJsonArray("urls"));
    assertNull(json.getJsonObject(0).getString("username"));
    assertEquals(new JsonArray().add("turn:198.51.100.7?transport=udp").add("turns:[2001:db8::7]:443"),
        json.getJsonObject(1).getJsonArray("urls"));
    assertEquals(c.username(), json.getJsonObject(1).getString("username"));
    assertEquals(TurnCredentials.password(TurnCredentialsTest.SECRET, c.username()),
        json.getJsonObject(1).getString("credential"));
    assertTrue(c.username().startsWith("1700003600:"));
  }

  @Test
  void withoutServersThereIsNothingToHandOut() {
    IceServers none = IceServers.none();
    assertNull(none.issue());
    assertTrue(none.json(null).isEmpty());
    assertTrue(none.linkHeaders(null).isEmpty());
    assertTrue(none.describe().contains("no STUN/TURN"));
  }
}
