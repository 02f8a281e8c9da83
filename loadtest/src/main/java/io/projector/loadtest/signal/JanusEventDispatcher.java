package io.projector.loadtest.signal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Routes the events of one Janus session's long poll. An asynchronous request's outcome (e.g. the VideoRoom's
 * "joined" with the SDP answer) carries the request's transaction and completes the future that
 * {@link #expect} returned; events a handle gets on its own (webrtcup, media, hangup, detached) carry the
 * handle id as "sender" and go to that handle's listener. An event with both goes to both. Thread-safe.
 */
final class JanusEventDispatcher {
  private final Map<String, CompletableFuture<JsonObject>> byTransaction = new ConcurrentHashMap<>();
  private final Map<Long, Consumer<JsonObject>> byHandle = new ConcurrentHashMap<>();
  private volatile IOException failure;

  /**
   * Registers interest in the event that will answer {@code transaction}; call before sending the request,
   * since the long poll may deliver the event before the HTTP reply to the request arrives.
   */
  CompletableFuture<JsonObject> expect(String transaction) {
    CompletableFuture<JsonObject> future = new CompletableFuture<>();
    byTransaction.put(transaction, future);
    IOException failed = failure;
    if (failed != null) {
      // failAll may have run between put and here, or before: either way nobody will answer now.
      byTransaction.remove(transaction);
      future.completeExceptionally(failed);
    }
    return future;
  }

  /** Forgets a transaction (it was answered synchronously, or the caller gave up waiting). */
  void forget(String transaction) {
    byTransaction.remove(transaction);
  }

  void onHandle(long handleId, Consumer<JsonObject> listener) {
    byHandle.put(handleId, listener);
  }

  void removeHandle(long handleId) {
    byHandle.remove(handleId);
  }

  /** Dispatches a long-poll reply body: one event object, or an array of them (maxev &gt; 1). */
  void dispatchPollBody(String body) throws IOException {
    for (JsonObject event : parsePollBody(body)) {
      dispatch(event);
    }
  }

  void dispatch(JsonObject event) {
    if ("keepalive".equals(event.getString("janus"))) {
      return;
    }
    String transaction = event.getString("transaction");
    if (transaction != null) {
      CompletableFuture<JsonObject> waiter = byTransaction.remove(transaction);
      if (waiter != null) {
        waiter.complete(event);
      }
    }
    Long sender = event.getLong("sender");
    Consumer<JsonObject> listener = sender == null ? null : byHandle.get(sender);
    if (listener != null) {
      listener.accept(event);
    }
  }

  /** The long poll is gone (session destroyed, Janus stopped): every waiter, present and future, fails. */
  void failAll(IOException cause) {
    failure = cause;
    for (String transaction : List.copyOf(byTransaction.keySet())) {
      CompletableFuture<JsonObject> waiter = byTransaction.remove(transaction);
      if (waiter != null) {
        waiter.completeExceptionally(cause);
      }
    }
  }

  int pendingTransactions() {
    return byTransaction.size();
  }

  static List<JsonObject> parsePollBody(String body) throws IOException {
    try {
      String trimmed = body.strip();
      List<JsonObject> events = new ArrayList<>();
      if (trimmed.startsWith("[")) {
        for (Object o : new JsonArray(trimmed)) {
          if (!(o instanceof JsonObject event)) {
            throw new IOException("Janus long poll: array element is not an object");
          }
          events.add(event);
        }
      } else {
        events.add(new JsonObject(trimmed));
      }
      return events;
    } catch (DecodeException e) {
      throw new IOException("Janus long poll: not JSON (" + e.getMessage() + ")");
    }
  }
}
