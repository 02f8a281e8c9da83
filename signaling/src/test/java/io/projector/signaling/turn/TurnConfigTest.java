package io.projector.signaling.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.signaling.ServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnConfigTest {
  private static final String SECRET = TurnCredentialsTest.SECRET;

  private static String failure(Map<String, String> env, String... flags) {
    return assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(env, flags)).getMessage();
  }

  @Test
  void readsUrlsSecretAndTtlFromTheEnvironmentAndFlags() {
    ServerConfig c = ServerConfig.load(Map.of("PROJECTOR_TURN_URLS",
        "turns:turn.example.com:443?transport=tcp, turn:turn.example.com:3478?transport=udp",
        "PROJECTOR_TURN_SECRET", SECRET), new String[0]);
    assertEquals(List.of("turns:turn.example.com:443?transport=tcp", "turn:turn.example.com:3478?transport=udp"),
        c.turn().urls().stream().map(TurnUrl::uri).toList());
    assertEquals(SECRET, c.turn().secret());
    assertEquals(3600, c.turn().ttlSeconds());

    ServerConfig f = ServerConfig.load(Map.of("PROJECTOR_TURN_TTL", "120"),
        new String[] {"--turn-urls", "turn:203.0.113.5", "--turn-secret=" + SECRET, "--turn-ttl", "900"});
    assertEquals(900, f.turn().ttlSeconds());
    assertEquals("turn:203.0.113.5", f.turn().urls().get(0).uri());
    assertFalse(ServerConfig.load(Map.of(), new String[0]).turn().enabled(), "no TURN by default");
  }

  @Test
  void badUrlsAreRefusedWithTheUrlAndTheReason() {
    assertTrue(failure(Map.of("PROJECTOR_TURN_URLS", "turn://turn.example.com", "PROJECTOR_TURN_SECRET", SECRET))
        .contains("'turn://turn.example.com'"));
    assertTrue(failure(Map.of(), "--turn-urls", "http:turn.example.com").contains("scheme"));
    assertTrue(failure(Map.of(), "--turn-urls", "turns:t.example.com?transport=udp", "--turn-secret", SECRET)
        .contains("tcp"));
    assertTrue(failure(Map.of(), "--turn-urls", "turn:t.example.com:70000", "--turn-secret", SECRET)
        .contains("port"));
    assertTrue(failure(Map.of(), "--turn-urls", "turn:t.example.com?transport=sctp", "--turn-secret", SECRET)
        .contains("udp or tcp"));
    assertTrue(failure(Map.of(), "--turn-urls", "stun:s.example.com?transport=udp").contains("no transport"));
  }

  @Test
  void secretAndTtlAreCheckedWithoutEverQuotingTheSecret() {
    String missing = failure(Map.of("PROJECTOR_TURN_URLS", "turn:turn.example.com"));
    assertTrue(missing.contains("PROJECTOR_TURN_SECRET"), missing);
    String orphan = failure(Map.of("PROJECTOR_TURN_SECRET", SECRET));
    assertTrue(orphan.contains("PROJECTOR_TURN_URLS") && !orphan.contains(SECRET), orphan);
    String weak = failure(Map.of("PROJECTOR_TURN_URLS", "turn:t.example.com", "PROJECTOR_TURN_SECRET", "hunter2"));
    assertTrue(weak.contains("at least 16") && !weak.contains("hunter2"), weak);
    Map<String, String> ok = Map.of("PROJECTOR_TURN_URLS", "turn:t.example.com", "PROJECTOR_TURN_SECRET", SECRET);
    assertTrue(failure(ok, "--turn-ttl", "30").contains("turn-ttl must be 60..86400"));
    assertTrue(failure(ok, "--turn-ttl", "1h").contains("turn-ttl"));
    assertTrue(failure(ok, "--turn-ttl", "90000").contains("turn-ttl"));
  }

  @Test
  void printingTheConfigurationNeverShowsTheSecret() {
    ServerConfig c = ServerConfig.load(Map.of("PROJECTOR_TURN_URLS", "turn:t.example.com",
        "PROJECTOR_TURN_SECRET", SECRET), new String[0]);
    assertFalse(c.toString().contains(SECRET), c.toString());
    assertTrue(c.toString().contains("(set, hidden)"), c.toString());
    assertFalse(new IceServers(c.turn(), java.time.Clock.systemUTC()).describe().contains(SECRET));
  }
}
