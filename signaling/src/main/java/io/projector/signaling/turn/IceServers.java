package io.projector.signaling.turn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client needs to reach the SFU through STUN/TURN, in the two shapes clients read it: the
 * {@code iceServers} array of {@code GET /api/sessions/{id}} (passed as-is to {@code RTCPeerConnection}) and the
 * {@code Link: <url>; rel="ice-server"} headers of WHIP/WHEP responses (RFC 9725 §4.6). Every call issues a new
 * credential, so each peer gets its own.
 */
public final class IceServers {
  private final TurnConfig config;
  private final TurnCredentials credentials;

  public IceServers(TurnConfig config, Clock clock) {
    this.config = config;
    this.credentials = config.urls().stream().anyMatch(TurnUrl::needsCredentials)
        ? new TurnCredentials(config, clock) : null;
  }

  /** No servers: clients connect directly. */
  public static IceServers none() {
    return new IceServers(TurnConfig.none(), Clock.systemUTC());
  }

  public boolean enabled() {
    return config.enabled();
  }

  /** A credential for one peer, or null when no relay needs one. */
  public TurnCredentials.Credential issue() {
    return credentials == null ? null : credentials.issue();
  }

  /**
   * RTCIceServer dictionaries: one for the STUN URLs, one for the TURN URLs with {@code credential}.
   *
   * @param credential from {@link #issue()} (null when there is no TURN URL)
   */
  public JsonArray json(TurnCredentials.Credential credential) {
    JsonArray out = new JsonArray();
    JsonArray stun = new JsonArray();
    JsonArray turn = new JsonArray();
    for (TurnUrl u : config.urls()) {
      (u.needsCredentials() ? turn : stun).add(u.uri());
    }
    if (!stun.isEmpty()) {
      out.add(new JsonObject().put("urls", stun));
    }
    if (!turn.isEmpty()) {
      out.add(new JsonObject().put("urls", turn).put("username", credential.username())
          .put("credential", credential.password()));
    }
    return out;
  }

  /**
   * One {@code Link} header value per URL, in configuration order, e.g.
   * {@code <turn:turn.example.com:3478?transport=udp>; rel="ice-server"; username="1700000000:abc";
   * credential="..."; credential-type="password"}.
   */
  public List<String> linkHeaders(TurnCredentials.Credential credential) {
    List<String> out = new ArrayList<>();
    for (TurnUrl u : config.urls()) {
      StringBuilder b = new StringBuilder().append('<').append(u.uri()).append(">; rel=\"ice-server\"");
      if (u.needsCredentials()) {
        b.append("; username=").append(quoted(credential.username()))
            .append("; credential=").append(quoted(credential.password()))
            .append("; credential-type=\"password\"");
      }
      out.add(b.toString());
    }
    return out;
  }

  /** An RFC 9110 quoted-string (our values have no quotes or backslashes, but escape them if they ever do). */
  static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** For the start-up log: the URLs and TTL, never the secret. */
  public String describe() {
    if (!enabled()) {
      return "no STUN/TURN servers configured (clients behind UDP-blocking firewalls cannot connect; "
          + "see docs/nat.md)";
    }
    return "ICE servers for clients: " + config.urls().stream().map(TurnUrl::uri).toList()
        + (credentials == null ? "" : ", TURN credentials valid " + config.ttlSeconds() + " s");
  }
}
