package io.projector.signaling.testpeer;

import io.projector.signaling.ProjectorServer;
import io.projector.signaling.ServerConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A real server on free ports plus the few HTTP calls the media tests need, and a deadline-bounded poll so
 * that tests wait for conditions instead of sleeping.
 */
public final class TestServer implements AutoCloseable {
  public static final String PRESENTER_OFFER = "/sdp/chrome-presenter-offer.sdp";
  public static final String VIEWER_OFFER = "/sdp/chrome-viewer-offer.sdp";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long POLL_INTERVAL_MS = 20;

  private final ProjectorServer server;
  private final String base;

  /** A created session: its id and the key that authorises publishing. */
  public record Session(String id, String presenterKey) {}

  private TestServer(ProjectorServer server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.httpPort();
  }

  public static TestServer start(ServerConfig config) {
    return new TestServer(startReady(config));
  }

  /** Starts a server and returns once it is ready for traffic (warmed up), as a load balancer would wait. */
  public static ProjectorServer startReady(ServerConfig config) {
    ProjectorServer server = ProjectorServer.start(config).await();
    server.media().warmUp().join();
    return server;
  }

  public ProjectorServer server() {
    return server;
  }

  public String baseUrl() {
    return base;
  }

  public Session createSession() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/sessions"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new AssertionError("creating a session answered " + r.statusCode() + ": " + r.body());
    }
    JsonObject j = new JsonObject(r.body());
    return new Session(j.getString("id"), j.getString("presenterKey"));
  }

  /** GET /api/sessions/{id}: {live, viewers, ...}. */
  public JsonObject info(String sessionId) {
    return info(sessionId, "");
  }

  /** GET /api/sessions/{id}{query}, e.g. query "?join=1" as a viewer page about to join sends it. */
  public JsonObject info(String sessionId, String query) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/sessions/" + sessionId + query))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET session answered " + r.statusCode() + ": " + r.body());
      }
      return new JsonObject(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public int viewers(String sessionId) {
    return info(sessionId).getInteger("viewers");
  }

  public boolean live(String sessionId) {
    return info(sessionId).getBoolean("live");
  }

  public TestPeer publish(Session s) throws Exception {
    return TestPeer.connect(base, "/whip/" + s.id(), s.presenterKey(), PRESENTER_OFFER);
  }

  public TestPeer subscribe(Session s) throws Exception {
    return TestPeer.connect(base, "/whep/" + s.id(), null, VIEWER_OFFER);
  }

  /** A viewer whose answers to the server's connectivity checks are lost (see TestPeer). */
  public TestPeer subscribeWithoutAnsweringChecks(Session s) throws Exception {
    return TestPeer.connectWithoutAnsweringChecks(base, "/whep/" + s.id(), VIEWER_OFFER);
  }

  /** Polls {@code condition} until it holds; fails the test with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
      }
      try {
        Thread.sleep(POLL_INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
