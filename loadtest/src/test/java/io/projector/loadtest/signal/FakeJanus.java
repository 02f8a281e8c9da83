package io.projector.loadtest.signal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Janus HTTP API on loopback, as janus_http.c answers it: session create/attach/detach/destroy/keepalive
 * POSTs, plugin messages handed to a test-supplied {@link Plugin}, and long-poll GETs that return the
 * session's queued events (an array when maxev is given) or a keepalive when none came within a short wait.
 */
final class FakeJanus implements AutoCloseable {

  /** What the plugin does with one message: reply now, or ack and queue events. */
  interface Plugin {
    void onMessage(Message m) throws Exception;
  }

  /** One plugin message as received, with the means to answer it. */
  final class Message {
    final long session;
    final long handle;
    final JsonObject request;
    private JsonObject reply;

    Message(long session, long handle, JsonObject request) {
      this.session = session;
      this.handle = handle;
      this.request = request;
    }

    JsonObject body() {
      return request.getJsonObject("body");
    }

    JsonObject jsep() {
      return request.getJsonObject("jsep");
    }

    /** Answers in the HTTP reply (synchronous requests, or a core error). */
    void reply(JsonObject r) {
      reply = r.put("transaction", request.getString("transaction"));
    }

    /** Queues the plugin's event for this message's transaction; returns the latch of its delivery. */
    CountDownLatch event(JsonObject pluginData, JsonObject jsep) {
      JsonObject e = new JsonObject().put("janus", "event").put("session_id", session).put("sender", handle)
          .put("transaction", request.getString("transaction"))
          .put("plugindata", new JsonObject().put("plugin", JanusVideoRoom.PLUGIN).put("data", pluginData));
      if (jsep != null) {
        e.put("jsep", jsep);
      }
      return queue(session, e);
    }
  }

  private record Queued(JsonObject event, CountDownLatch delivered) {
  }

  final List<JsonObject> posts = new ArrayList<>(); // every POST body, in arrival order (guarded by itself)
  final CountDownLatch keepaliveReceived = new CountDownLatch(1);
  private final List<Long> sessionIds = new CopyOnWriteArrayList<>();
  private final Map<Long, BlockingQueue<Queued>> sessions = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(7_000_000_000L);
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private volatile Plugin plugin = m -> m.reply(error(499, "no plugin behaviour in this test"));

  FakeJanus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/janus", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/janus";
  }

  void plugin(Plugin p) {
    plugin = p;
  }

  /** Queues an event for the session's long poll; the latch opens once a poll has returned it. */
  CountDownLatch queue(long session, JsonObject event) {
    Queued q = new Queued(event, new CountDownLatch(1));
    sessions.get(session).add(q);
    return q.delivered;
  }

  /** Queues an event the handle gets on its own (webrtcup, hangup, ...). */
  void handleEvent(long session, long handle, String janus, JsonObject extra) {
    queue(session, extra.copy().put("janus", janus).put("session_id", session).put("sender", handle));
  }

  /** The ids of the sessions created so far, in order. */
  List<Long> sessionIds() {
    return sessionIds;
  }

  /** Forgets a session as if it timed out: its long poll answers 404 from now on. */
  void dropSession(long session) {
    sessions.remove(session);
  }

  List<JsonObject> posts(String janus) {
    synchronized (posts) {
      return posts.stream().filter(p -> janus.equals(p.getString("janus"))).toList();
    }
  }

  List<JsonObject> messages(String request) {
    return posts("message").stream().filter(p -> request.equals(p.getJsonObject("body").getString("request")))
        .toList();
  }

  static JsonObject error(int code, String reason) {
    return new JsonObject().put("janus", "error").put("error", new JsonObject().put("code", code).put("reason", reason));
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String[] path = x.getRequestURI().getPath().replaceFirst("^/janus/?", "").split("/");
      long session = path[0].isEmpty() ? 0 : Long.parseLong(path[0]);
      long handle = path.length > 1 ? Long.parseLong(path[1]) : 0;
      if (x.getRequestMethod().equals("GET")) {
        longPoll(x, session);
        return;
      }
      JsonObject request = new JsonObject(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      synchronized (posts) {
        posts.add(request);
      }
      respond(x, 200, answer(request, session, handle).put("transaction", request.getString("transaction")));
    }
  }

  private JsonObject answer(JsonObject request, long session, long handle) {
    String janus = request.getString("janus");
    if (session != 0 && !sessions.containsKey(session)) {
      return error(458, "No such session " + session);
    }
    switch (janus) {
      case "create" -> {
        long id = ids.incrementAndGet();
        sessions.put(id, new LinkedBlockingQueue<>());
        sessionIds.add(id);
        return success(id);
      }
      case "attach" -> {
        return success(ids.incrementAndGet());
      }
      case "keepalive" -> {
        keepaliveReceived.countDown();
        return new JsonObject().put("janus", "ack");
      }
      case "detach" -> {
        return new JsonObject().put("janus", "success");
      }
      case "destroy" -> {
        sessions.remove(session);
        return new JsonObject().put("janus", "success");
      }
      case "message" -> {
        Message m = new Message(session, handle, request);
        try {
          plugin.onMessage(m);
        } catch (Exception e) {
          return error(499, "fake plugin failed: " + e);
        }
        return m.reply != null ? m.reply : new JsonObject().put("janus", "ack");
      }
      default -> {
        return error(453, "Unknown request '" + janus + "'");
      }
    }
  }

  private void longPoll(HttpExchange x, long session) throws IOException {
    BlockingQueue<Queued> queue = sessions.get(session);
    if (queue == null) {
      respond(x, 404, null);
      return;
    }
    boolean array = x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("maxev=");
    List<Queued> batch = new ArrayList<>();
    try {
      Queued first = queue.poll(200, TimeUnit.MILLISECONDS); // Janus waits 30 s; a short wait keeps tests quick
      if (first != null) {
        batch.add(first);
        if (array) {
          queue.drainTo(batch, 49);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    JsonArray events = new JsonArray();
    batch.forEach(q -> events.add(q.event));
    if (events.isEmpty()) {
      events.add(new JsonObject().put("janus", "keepalive"));
    }
    respond(x, 200, array ? events : events.getJsonObject(0));
    batch.forEach(q -> q.delivered.countDown());
  }

  private static JsonObject success(long id) {
    return new JsonObject().put("janus", "success").put("data", new JsonObject().put("id", id));
  }

  private static void respond(HttpExchange x, int status, Object json) throws IOException {
    byte[] body = json == null ? new byte[0] : json.toString().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
