package io.projector.loadtest.signal;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Projector's standard signalling: a session created over the HTTP API, the presenter on WHIP with the
 * presenter key as bearer token, viewers on WHEP (RFC 9725 and the WHEP draft: POST offer, 201 + answer +
 * Location, DELETE Location to leave).
 */
public final class WhipWhep implements Signaling {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http;
  private final URI base;
  private final String sessionId;
  private final String presenterKey;
  private volatile String presenterLocation;

  private WhipWhep(HttpClient http, URI base, String sessionId, String presenterKey) {
    this.http = http;
    this.base = base;
    this.sessionId = sessionId;
    this.presenterKey = presenterKey;
  }

  /** Creates a new session on the server at {@code baseUrl} (e.g. "http://127.0.0.1:8080"). */
  public static WhipWhep createSession(String baseUrl) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/sessions")).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IOException("POST /api/sessions answered " + created.statusCode() + ": " + created.body());
    }
    JsonObject session = new JsonObject(created.body());
    return new WhipWhep(http, base, session.getString("id"), session.getString("presenterKey"));
  }

  public String sessionId() {
    return sessionId;
  }

  @Override
  public String publish(String offerSdp) throws IOException, InterruptedException {
    HttpResponse<String> r = postSdp("/whip/" + sessionId, offerSdp, presenterKey);
    presenterLocation = r.headers().firstValue("Location").orElse(null);
    return r.body();
  }

  @Override
  public Negotiated subscribe(ViewerSdp viewer) throws IOException, InterruptedException {
    HttpResponse<String> r = postSdp("/whep/" + sessionId, viewer.offer(), null);
    return new Negotiated(r.body(), false, r.headers().firstValue("Location").orElse(null));
  }

  @Override
  public void unsubscribe(Negotiated viewer) {
    delete(viewer.handle());
  }

  @Override
  public void close() {
    delete(presenterLocation);
  }

  private HttpResponse<String> postSdp(String path, String sdp, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(sdp));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IOException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  private void delete(String location) {
    if (location == null) {
      return;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(location)).timeout(TIMEOUT).DELETE();
    if (location.startsWith("/whip/")) {
      request.header("Authorization", "Bearer " + presenterKey);
    }
    try {
      http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // best effort: the server times the peer out anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
