package io.projector.signaling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parses {@code --name value} and {@code --name=value} flags; unknown flags are an error with the list of known ones. */
final class Flags {
  static final Set<String> KNOWN = Set.of("http-host", "http-port", "media-port", "public-ip", "media-bind",
      "session-idle-timeout", "start-bitrate", "send-threads", "turn-urls", "turn-secret", "turn-ttl");

  private Flags() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'; flags look like --http-port 8080");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("flag --" + name + " needs a value");
        }
        value = args[++i];
      }
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "; known flags: --" + String.join(", --",
            KNOWN.stream().sorted().toList()));
      }
      out.put(name, value);
    }
    return out;
  }
}
