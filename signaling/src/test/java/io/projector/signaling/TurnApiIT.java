package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.signaling.testpeer.TestServer;
import io.projector.signaling.turn.TurnConfig;
import io.projector.signaling.turn.TurnCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN credentials on a real server: the session API and WHIP/WHEP responses (RFC 9725 Link headers) carry
 * per-peer, expiring credentials that coturn will accept, and the shared secret appears in no response and no
 * log line.
 */
class TurnApiIT {
  private static final String SECRET = "it-secret-" + Long.toHexString(System.nanoTime()) + "-not-for-clients";
  private static final long TTL = 600;
  private static final String URLS = "turns:turn.example.test:443?transport=tcp,"
      + "turn:198.51.100.7:3478?transport=udp,stun:198.51.100.7:3478";
  private static final Pattern LINK = Pattern.compile(
      "<([^>]+)>; rel=\"ice-server\"(?:; username=\"([^\"]+)\"; credential=\"([^\"]+)\"; "
          + "credential-type=\"password\")?");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> LOG = new ArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      synchronized (LOG) {
        LOG.add(formatter.format(r)); // message, parameters and stack trace, as a log file would have them
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private static Level rootLevel;
  private static ProjectorServer server;
  private static String base;
  private static final List<HttpResponse<String>> RESPONSES = new ArrayList<>();

  @BeforeAll
  static void start() {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL); // FINE and below too: a secret must not hide in debug output either
    for (Handler h : root.getHandlers()) {
      h.setLevel(Level.INFO);
    }
    CAPTURE.setLevel(Level.ALL);
    root.addHandler(CAPTURE);
    ServerConfig config = ServerConfig.ephemeral().withTurn(TurnConfig.of(URLS, SECRET, TTL));
    Logger.getLogger("projector").info("starting with " + config); // what an operator's debug line would print
    server = TestServer.startReady(config);
    base = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    Logger root = Logger.getLogger("");
    root.removeHandler(CAPTURE);
    root.setLevel(rootLevel);
    for (Handler h : root.getHandlers()) {
      h.setLevel(Level.ALL);
    }
  }

  private static HttpResponse<String> send(String method, String path, String contentType, String body,
      String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    synchronized (RESPONSES) {
      RESPONSES.add(r);
    }
    return r;
  }

  /** coturn's check: the password is HMAC(secret, username) and the username's time lies in the future. */
  private static void assertCoturnWouldAccept(String username, String credential) {
    long now = System.currentTimeMillis() / 1000;
    long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
    assertTrue(expiry > now && expiry <= now + TTL + 1, "expiry " + expiry + " vs now " + now);
    assertTrue(username.matches("\\d+:[A-Za-z0-9_-]{16}"), username);
    assertEquals(TurnCredentials.password(SECRET, username), credential);
  }

  private static List<String> assertLinkHeaders(HttpResponse<String> r) {
    List<String> links = r.headers().allValues("Link");
    assertEquals(3, links.size(), links.toString());
    List<String> usernames = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (String link : links) {
      Matcher m = LINK.matcher(link);
      assertTrue(m.matches(), link);
      urls.add(m.group(1));
      if (m.group(1).startsWith("turn")) {
        assertCoturnWouldAccept(m.group(2), m.group(3));
        usernames.add(m.group(2));
      } else {
        assertEquals(null, m.group(2), "STUN needs no credentials: " + link);
      }
    }
    assertEquals(List.of(URLS.split(",")), urls, "all URLs, in the configured order");
    assertEquals(1, usernames.stream().distinct().count(), "one credential per peer: " + usernames);
    return usernames;
  }

  @Test
  void sessionApiGivesEachPageItsOwnExpiringTurnCredentials() throws Exception {
    String id = new JsonObject(send("POST", "/api/sessions", null, null, null).body()).getString("id");
    JsonArray first = new JsonObject(send("GET", "/api/sessions/" + id, null, null, null).body())
        .getJsonArray("iceServers");
    JsonArray second = new JsonObject(send("GET", "/api/sessions/" + id, null, null, null).body())
        .getJsonArray("iceServers");
    assertEquals(2, first.size(), first.encode());
    assertEquals(new JsonArray().add("stun:198.51.100.7:3478"), first.getJsonObject(0).getJsonArray("urls"));
    JsonObject turn = first.getJsonObject(1);
    assertEquals(new JsonArray().add("turns:turn.example.test:443?transport=tcp")
        .add("turn:198.51.100.7:3478?transport=udp"), turn.getJsonArray("urls"));
    assertCoturnWouldAccept(turn.getString("username"), turn.getString("credential"));
    assertNotEquals(turn.getString("username"), second.getJsonObject(1).getString("username"));
    assertEquals(404, send("GET", "/api/sessions/nope", null, null, null).statusCode());
  }

  @Test
  void whipAndWhepAnswersCarryIceServersAsLinkHeaders() throws Exception {
    JsonObject s = new JsonObject(send("POST", "/api/sessions", null, null, null).body());
    String id = s.getString("id");
    HttpResponse<String> whip = send("POST", "/whip/" + id, "application/sdp",
        HttpApiIT.resource("chrome-presenter-offer.sdp"), s.getString("presenterKey"));
    assertEquals(201, whip.statusCode(), whip.body());
    List<String> presenter = assertLinkHeaders(whip);
    HttpResponse<String> whep = send("POST", "/whep/" + id, "application/sdp",
        HttpApiIT.resource("chrome-viewer-offer.sdp"), null);
    assertEquals(201, whep.statusCode(), whep.body());
    List<String> viewer = assertLinkHeaders(whep);
    assertNotEquals(presenter, viewer, "presenter and viewer get different credentials");
    String peer = whep.headers().firstValue("Location").orElseThrow();
    assertFalse(viewer.get(0).contains(peer.substring(peer.lastIndexOf('/') + 1)),
        "the TURN username must not reveal the WHEP resource id (it is a capability)");
    HttpResponse<String> preflight = send("OPTIONS", "/whep/" + id, null, null, null);
    assertTrue(preflight.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Link"));
    HttpResponse<String> refused = send("POST", "/whip/" + id, "application/sdp",
        HttpApiIT.resource("chrome-presenter-offer.sdp"), "wrong-key");
    assertEquals(401, refused.statusCode());
    assertTrue(refused.headers().allValues("Link").isEmpty(), "no credentials for a refused request");
  }

  @Test
  void theSecretAppearsInNoResponseAndNoLogLine() throws Exception {
    sessionApiGivesEachPageItsOwnExpiringTurnCredentials();
    whipAndWhepAnswersCarryIceServersAsLinkHeaders();
    send("GET", "/", null, null, null);
    send("POST", "/whep/nope", "application/sdp", "v=0", null);
    List<HttpResponse<String>> responses;
    synchronized (RESPONSES) {
      responses = List.copyOf(RESPONSES);
    }
    assertTrue(responses.size() >= 10);
    for (HttpResponse<String> r : responses) {
      assertFalse(r.body().contains(SECRET), r.uri() + " body");
      assertFalse(r.headers().map().toString().contains(SECRET), r.uri() + " headers");
    }
    List<String> lines;
    synchronized (LOG) {
      lines = List.copyOf(LOG);
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("(set, hidden)")), "the capture sees the server's logs");
    assertTrue(lines.size() >= 3, "captured " + lines.size() + " log lines");
    for (String line : lines) {
      assertFalse(line.contains(SECRET), "log line with the secret: " + line.replace(SECRET, "<SECRET>"));
    }
  }
}
