package io.projector.loadtest.signal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One session of the Janus HTTP API (REST transport, janus_http.c): requests are POSTs to /janus,
 * /janus/&lt;session&gt; and /janus/&lt;session&gt;/&lt;handle&gt;; events come back through one long-poll
 * thread (GET /janus/&lt;session&gt;?maxev=N, answered at once when events are queued, else after 30 s with a
 * keepalive). Each GET also counts as a keepalive in Janus, and an explicit keepalive is posted every
 * {@link #KEEPALIVE_INTERVAL_NANOS} as well, well inside the 60 s session timeout. Thread-safe.
 */
final class JanusSession implements AutoCloseable {
  static final long KEEPALIVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(25);
  private static final int MAX_EVENTS_PER_POLL = 50;
  /** Janus answers a long poll after 30 s at the latest. */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(45);
  private static final AtomicLong TRANSACTIONS = new AtomicLong();

  private final HttpClient http;
  private final URI sessionUri;
  private final Duration timeout;
  private final LongSupplier nanoClock;
  private final long id;
  private final JanusEventDispatcher events = new JanusEventDispatcher();
  private final Thread poller;
  private volatile boolean closed;

  private JanusSession(HttpClient http, URI base, Duration timeout, LongSupplier nanoClock, long id) {
    this.http = http;
    this.sessionUri = URI.create(base + "/" + id);
    this.timeout = timeout;
    this.nanoClock = nanoClock;
    this.id = id;
    this.poller = new Thread(this::pollEvents, "janus-longpoll-" + id);
    this.poller.setDaemon(true);
  }

  /** Creates a session at {@code base} (e.g. http://127.0.0.1:8088/janus) and starts its long poll. */
  static JanusSession create(HttpClient http, URI base, Duration timeout) throws IOException, InterruptedException {
    return create(http, base, timeout, System::nanoTime);
  }

  static JanusSession create(HttpClient http, URI base, Duration timeout, LongSupplier nanoClock)
      throws IOException, InterruptedException {
    JsonObject created = post(http, base, timeout, "create", new JsonObject().put("janus", "create"));
    JanusSession session = new JanusSession(http, base, timeout, nanoClock, dataId(created, "create"));
    session.poller.start();
    return session;
  }

  long id() {
    return id;
  }

  /** Attaches a plugin (e.g. "janus.plugin.videoroom"); the listener gets the handle's own events. */
  long attach(String plugin, Consumer<JsonObject> listener) throws IOException, InterruptedException {
    JsonObject reply = post(http, sessionUri, timeout, "attach",
        new JsonObject().put("janus", "attach").put("plugin", plugin));
    long handle = dataId(reply, "attach");
    events.onHandle(handle, listener);
    return handle;
  }

  /**
   * Sends a plugin message and returns the plugin's reply: the synchronous "success" for requests such as
   * VideoRoom "create", or, after Janus' "ack", the event with the same transaction (which carries the jsep).
   * A core or plugin error becomes a {@link JanusApiException}.
   */
  JsonObject message(long handle, JsonObject body, JsonObject jsep) throws IOException, InterruptedException {
    String request = body.getString("request", "message");
    String transaction = nextTransaction();
    JsonObject message = new JsonObject().put("janus", "message").put("transaction", transaction).put("body", body);
    if (jsep != null) {
      message.put("jsep", jsep);
    }
    CompletableFuture<JsonObject> event = events.expect(transaction);
    try {
      JsonObject reply = postRaw(http, URI.create(sessionUri + "/" + handle), timeout, request, message);
      if (!"ack".equals(reply.getString("janus"))) {
        return checked(request, reply);
      }
      return checked(request, event.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      throw new IOException("Janus sent no reply to " + request + " within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      events.forget(transaction);
    }
  }

  void detach(long handle) throws IOException, InterruptedException {
    events.removeHandle(handle);
    post(http, URI.create(sessionUri + "/" + handle), timeout, "detach", new JsonObject().put("janus", "detach"));
  }

  /** Destroys the session in Janus (its handles hang up and detach) and ends the long poll; best effort, once. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      post(http, sessionUri, timeout, "destroy", new JsonObject().put("janus", "destroy"));
    } catch (IOException e) {
      // Janus is gone or the session timed out: nothing left to release
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    poller.interrupt();
    events.failAll(new IOException("Janus session " + id + " closed"));
  }

  private void pollEvents() {
    URI pollUri = URI.create(sessionUri + "?maxev=" + MAX_EVENTS_PER_POLL);
    long lastKeepalive = nanoClock.getAsLong();
    while (!closed) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(pollUri).timeout(POLL_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IOException("Janus long poll answered " + r.statusCode() + " (session " + id + " gone?)");
        }
        events.dispatchPollBody(r.body());
        if (nanoClock.getAsLong() - lastKeepalive >= KEEPALIVE_INTERVAL_NANOS) {
          post(http, sessionUri, timeout, "keepalive", new JsonObject().put("janus", "keepalive"));
          lastKeepalive = nanoClock.getAsLong();
        }
      } catch (IOException e) {
        if (!closed) {
          events.failAll(new IOException("Janus long poll failed: " + e.getMessage(), e));
        }
        return;
      } catch (InterruptedException e) {
        return; // close()
      }
    }
  }

  private static JsonObject checked(String request, JsonObject reply) throws JanusApiException {
    JanusApiException error = JanusApiException.of(request, reply);
    if (error != null) {
      throw error;
    }
    return reply;
  }

  /** POSTs a request with a fresh transaction; a core error becomes a {@link JanusApiException}. */
  private static JsonObject post(HttpClient http, URI uri, Duration timeout, String request, JsonObject body)
      throws IOException, InterruptedException {
    return checked(request, postRaw(http, uri, timeout, request, body.put("transaction", nextTransaction())));
  }

  private static JsonObject postRaw(HttpClient http, URI uri, Duration timeout, String request, JsonObject body)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("Janus answered " + request + " with HTTP " + r.statusCode());
    }
    try {
      return new JsonObject(r.body());
    } catch (DecodeException e) {
      throw new IOException("Janus answered " + request + " with something that is not a JSON object");
    }
  }

  private static long dataId(JsonObject reply, String request) throws IOException {
    JsonObject data = reply.getJsonObject("data");
    Long id = data == null ? null : data.getLong("id");
    if (id == null) {
      throw new IOException("Janus answered " + request + " without data.id: " + reply.getString("janus"));
    }
    return id;
  }

  private static String nextTransaction() {
    return "pj" + TRANSACTIONS.incrementAndGet();
  }
}
