package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.signaling.testpeer.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API and WHIP/WHEP on a real server bound to free ports, over real sockets. */
class HttpApiIT {
  static ProjectorServer server;
  static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServer.startReady(ServerConfig.ephemeral());
    base = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = HttpApiIT.class.getResourceAsStream("/sdp/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static HttpResponse<String> send(String method, String path, String contentType, String body, String bearer)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject createSession() throws Exception {
    HttpResponse<String> r = send("POST", "/api/sessions", null, null, null);
    assertEquals(201, r.statusCode());
    return new JsonObject(r.body());
  }

  static void assertError(HttpResponse<String> r, int status, String code, String messagePart) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertTrue(error.getString("message").toLowerCase().contains(messagePart.toLowerCase()), error.getString("message"));
  }

  @Test
  void createsASessionWithUnguessableIdsAndASeparatePresenterKey() throws Exception {
    JsonObject s = createSession();
    String id = s.getString("id");
    String key = s.getString("presenterKey");
    assertTrue(id.matches("[A-Za-z0-9_-]{22,}"), id);
    assertTrue(key.length() >= 22 && !key.equals(id));
    assertEquals("/view/" + id, s.getString("viewerUrl"));
    assertTrue(s.getString("presenterUrl").startsWith("/present/" + id));
    assertNotEquals(id, createSession().getString("id"));

    HttpResponse<String> info = send("GET", "/api/sessions/" + id, null, null, null);
    assertEquals(200, info.statusCode());
    JsonObject j = new JsonObject(info.body());
    assertEquals(id, j.getString("id"));
    assertFalse(j.getBoolean("live"));
    assertEquals(0, j.getInteger("viewers"));
    assertNotNull(j.getString("createdAt"));
    assertFalse(info.body().contains(key), "the key is never shown again");
  }

  @Test
  void unknownSessionsAre404WithAJsonError() throws Exception {
    assertError(send("GET", "/api/sessions/nope", null, null, null), 404, "session_not_found", "no session");
    assertError(send("POST", "/whep/nope", "application/sdp", resource("chrome-viewer-offer.sdp"), null), 404,
        "session_not_found", "no session");
    assertError(send("DELETE", "/api/sessions/nope", null, null, "x"), 404, "session_not_found", "no session");
  }

  @Test
  void endingASessionNeedsThePresenterKey() throws Exception {
    JsonObject s = createSession();
    String path = "/api/sessions/" + s.getString("id");
    HttpResponse<String> noKey = send("DELETE", path, null, null, null);
    assertError(noKey, 401, "unauthorized", "presenter key");
    assertEquals("Bearer", noKey.headers().firstValue("WWW-Authenticate").orElse(""));
    assertError(send("DELETE", path, null, null, "wrong"), 401, "unauthorized", "wrong presenter key");
    assertEquals(204, send("DELETE", path, null, null, s.getString("presenterKey")).statusCode());
    assertError(send("GET", path, null, null, null), 404, "session_not_found", "no session");
  }

  @Test
  void whipPublishesWithTheKeyAndAnswersAsDtlsServerOnTheMediaPort() throws Exception {
    JsonObject s = createSession();
    String id = s.getString("id");
    String offer = resource("chrome-presenter-offer.sdp");
    assertError(send("POST", "/whip/" + id, "application/sdp", offer, null), 401, "unauthorized", "presenter key");
    assertError(send("POST", "/whip/" + id, "application/sdp", offer, "wrong"), 401, "unauthorized", "wrong");

    HttpResponse<String> r = send("POST", "/whip/" + id, "application/sdp", offer, s.getString("presenterKey"));
    assertEquals(201, r.statusCode(), r.body());
    assertEquals("application/sdp", r.headers().firstValue("Content-Type").orElse(""));
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("/whip/" + id + "/"), location);
    String answer = r.body();
    assertTrue(answer.contains("a=setup:passive"));
    assertTrue(answer.contains("a=fingerprint:sha-256 "));
    assertTrue(answer.contains("a=recvonly"));
    assertTrue(answer.contains(" " + server.mediaPort() + " typ host"), "candidates on the media port");
    assertTrue(answer.contains("VP8/90000"));

    String frag = "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
        + "a=candidate:1 1 udp 2122260223 127.0.0.1 61764 typ host\r\na=end-of-candidates\r\n";
    assertEquals(204, send("PATCH", location, "application/trickle-ice-sdpfrag", frag, null).statusCode());
    assertError(send("PATCH", location, "text/plain", frag, null), 415, "unsupported_media_type", "trickle-ice-sdpfrag");
    assertEquals(200, send("DELETE", location, null, null, null).statusCode());
    assertError(send("DELETE", location, null, null, null), 404, "peer_not_found", "no such peer");
  }

  @Test
  void whepNeedsNoKeyAndAnswersSendonlyWithTheSfusSsrcs() throws Exception {
    String id = createSession().getString("id");
    HttpResponse<String> r = send("POST", "/whep/" + id, "application/sdp", resource("chrome-viewer-offer.sdp"), null);
    assertEquals(201, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith("/whep/" + id + "/"));
    assertTrue(r.body().contains("a=sendonly"));
    assertTrue(r.body().contains("a=ssrc:"));
    assertTrue(r.body().contains("a=group:BUNDLE"));
  }

  @Test
  void aViewerMayAskForAPreviewLayerAndABadLayerIsRefused() throws Exception {
    String id = createSession().getString("id");
    assertEquals(201, send("POST", "/whep/" + id + "?layer=low", "application/sdp",
        resource("chrome-viewer-offer.sdp"), null).statusCode());
    assertError(send("POST", "/whep/" + id + "?layer=huge", "application/sdp", resource("chrome-viewer-offer.sdp"),
        null), 400, "bad_request", "layer");
    assertError(send("POST", "/whep/" + id + "?maxHeight=-3", "application/sdp",
        resource("chrome-viewer-offer.sdp"), null), 400, "bad_request", "maxHeight");
  }

  @Test
  void unusableOffersAre400WithTheReason() throws Exception {
    String id = createSession().getString("id");
    assertError(send("POST", "/whep/" + id, "application/sdp", "hello", null), 400, "bad_sdp", "unusable SDP offer");
    String noFingerprint = resource("chrome-viewer-offer.sdp").replaceAll("a=fingerprint:[^\r\n]*\r?\n", "");
    assertError(send("POST", "/whep/" + id, "application/sdp", noFingerprint, null), 400, "bad_sdp", "fingerprint");
    String noBundle = resource("chrome-viewer-offer.sdp").replaceAll("a=group:BUNDLE[^\r\n]*\r?\n", "");
    assertError(send("POST", "/whep/" + id, "application/sdp", noBundle, null), 400, "bad_sdp", "bundle");
    assertError(send("POST", "/whep/" + id, "text/plain", resource("chrome-viewer-offer.sdp"), null), 415,
        "unsupported_media_type", "application/sdp");
    assertError(send("POST", "/whep/" + id, "application/sdp", "v=0\r\n" + "a=x\r\n".repeat(20_000), null), 413,
        "payload_too_large", "too large");
  }

  @Test
  void corsPreflightLetsAWhepPlayerOnAnotherOriginIn() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/whep/anything"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://player.example")
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
    HttpResponse<String> created = send("POST", "/api/sessions", null, null, null);
    assertTrue(created.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));
  }

  @Test
  void exposesPrometheusMetricsWithBoundedTagsAndHealthEndpoints() throws Exception {
    createSession();
    HttpResponse<String> m = send("GET", "/metrics", null, null, null);
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String text = m.body();
    for (String expected : new String[] {"projector_sessions ", "projector_viewers ", "projector_presenters_live ",
        "projector_rtp_packets_total{direction=\"in\"}", "projector_srtp_failures_total",
        "projector_packets_dropped_total{reason=\"malformed\"}", "projector_forward_delay_seconds_bucket",
        "jvm_memory_used_bytes"}) {
      assertTrue(text.contains(expected), "metrics lack " + expected);
    }
    double sessions = Double.parseDouble(text.lines().filter(l -> l.startsWith("projector_sessions "))
        .findFirst().orElseThrow().split(" ")[1]);
    assertTrue(sessions >= 1, "session gauge counts the session just created");
    assertEquals(200, send("GET", "/health/live", null, null, null).statusCode());
    HttpResponse<String> ready = send("GET", "/health/ready", null, null, null);
    assertEquals(200, ready.statusCode());
    assertTrue(ready.body().contains("ready"));
  }

  @Test
  void servesThePresenterAndViewerPages() throws Exception {
    HttpResponse<String> index = send("GET", "/", null, null, null);
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<script"), "presenter page");
    HttpResponse<String> view = send("GET", "/view/abc", null, null, null);
    assertEquals(200, view.statusCode());
    assertTrue(view.body().contains("viewer.js"));
    assertTrue(view.body().contains("const embedded = null;"), "no such session: the page asks, and is told so");
    String id = createSession().getString("id");
    HttpResponse<String> live = send("GET", "/view/" + id, null, null, null);
    assertEquals(200, live.statusCode());
    assertEquals("no-store", live.headers().firstValue("Cache-Control").orElse(""), "per-viewer TURN credentials");
    java.util.regex.Matcher embedded = java.util.regex.Pattern.compile("const embedded = (\\{[^\\n]*\\});")
        .matcher(live.body());
    assertTrue(embedded.find(), "the session lookup's answer is in the page");
    JsonObject info = new JsonObject(embedded.group(1));
    assertEquals(id, info.getString("id"));
    assertNotNull(info.getJsonArray("iceServers"));
    HttpResponse<String> js = send("GET", "/js/whip.js", null, null, null);
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    String etag = js.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/js/whip.js"))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(304, again.statusCode(), "a returning browser revalidates instead of downloading again");
    for (String bad : List.of("/js/nothing.js", "/../pom.xml", "/web/js/whip.js", "/.hidden.js", "/js/whip.exe", "/js")) {
      assertEquals(404, send("GET", bad, null, null, null).statusCode(), bad);
    }
  }
}
