package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void defaultsAreHttp8080AndMedia10000() {
    ServerConfig c = ServerConfig.load(Map.of(), new String[0]);
    assertEquals(8080, c.httpPort());
    assertEquals(10000, c.media().mediaPort());
    assertTrue(c.media().publicAddresses().isEmpty());
    assertEquals(2500, c.media().startBitrateKbps());
  }

  @Test
  void environmentOverridesDefaultsAndFlagsOverrideEnvironment() {
    Map<String, String> env = Map.of("PROJECTOR_HTTP_PORT", "9000", "PROJECTOR_MEDIA_PORT", "0",
        "PROJECTOR_PUBLIC_IP", "203.0.113.7, 2001:db8::7");
    ServerConfig fromEnv = ServerConfig.load(env, new String[0]);
    assertEquals(9000, fromEnv.httpPort());
    assertEquals(0, fromEnv.media().mediaPort());
    assertEquals(List.of("203.0.113.7", "2001:db8::7"), fromEnv.media().publicAddresses());

    ServerConfig flags = ServerConfig.load(env, new String[] {"--http-port", "9100", "--media-port=10100",
        "--public-ip", "198.51.100.1"});
    assertEquals(9100, flags.httpPort());
    assertEquals(10100, flags.media().mediaPort());
    assertEquals(List.of("198.51.100.1"), flags.media().publicAddresses());
  }

  @Test
  void badSettingsFailWithAMessageNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(Map.of("PROJECTOR_HTTP_PORT", "http"), new String[0])).getMessage()
        .contains("http-port"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(Map.of(), new String[] {"--media-port", "70000"})).getMessage()
        .contains("media-port"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(Map.of(), new String[] {"--public-ip", "example.com"})).getMessage()
        .contains("public-ip"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(Map.of(), new String[] {"--colour", "blue"})).getMessage()
        .contains("unknown flag --colour"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(Map.of(), new String[] {"--http-port"})).getMessage().contains("needs a value"));
  }

  @Test
  void everyFlagInTheReadmeIsAcceptedAndEveryAcceptedFlagIsDocumented() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = Pattern.compile("(?m)^\\| `--([a-z-]+)` \\| `PROJECTOR_").matcher(readme);
    Set<String> documented = new TreeSet<>();
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(new TreeSet<>(Flags.KNOWN), documented);
    assertEquals(1, ServerConfig.load(Map.of(), new String[] {"--send-threads", "1"}).media().sendThreads());
  }
}
