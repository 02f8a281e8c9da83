package io.projector.signaling.api;

import io.projector.signaling.events.ClientMessage;
import io.projector.signaling.events.ServerMessage;
import io.projector.signaling.session.SessionEntry;
import io.projector.signaling.session.SessionRegistry;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/sessions/{id}/events}: a WebSocket of live session events (see docs/protocol.md). Read-only for
 * clients apart from ping. Guarded against abuse: messages over {@link ClientMessage#MAX_LENGTH} or more than
 * {@link #MAX_MESSAGES_PER_SECOND} per second close the socket with 1009 / 1008; a session accepts at most
 * {@link #MAX_SUBSCRIBERS_PER_SESSION} sockets.
 */
public final class EventSocket {
  static final int MAX_MESSAGES_PER_SECOND = 20;
  static final int MAX_SUBSCRIBERS_PER_SESSION = 10_000;

  private final SessionRegistry registry;

  public EventSocket(SessionRegistry registry) {
    this.registry = registry;
  }

  public void mount(Router router) {
    router.get("/api/sessions/:id/events").handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    SessionEntry e = SessionRoutes.existing(registry, ctx.pathParam("id"));
    if (e.subscribers().size() >= MAX_SUBSCRIBERS_PER_SESSION) {
      ApiError.send(ctx, ApiError.Code.BAD_REQUEST, "too many event subscribers for this session");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> attach(e, ws)).onFailure(err ->
        ApiError.send(ctx, ApiError.Code.BAD_REQUEST, "expected a WebSocket upgrade"));
  }

  private void attach(SessionEntry e, ServerWebSocket ws) {
    e.subscribers().add(ws);
    ws.closeHandler(v -> e.subscribers().remove(ws));
    ws.exceptionHandler(err -> ws.close());
    ws.writeTextMessage(new ServerMessage.Hello(e.id(), e.media().presenterLive(), e.media().viewerCount(),
        e.media().layerAdvice())
        .toJson().encode());
    if (e.ended()) { // ended between lookup and upgrade
      ws.writeTextMessage(new ServerMessage.Ended("ended").toJson().encode());
      ws.close((short) 1000, "session ended");
      return;
    }
    long[] window = {0, 0}; // {window start ms, messages in window}
    ws.frameHandler(frame -> {
      if (frame.isBinary()) {
        ws.close((short) 1003, "binary messages are not accepted");
      }
    });
    ws.textMessageHandler(text -> {
      long now = System.currentTimeMillis();
      if (now - window[0] >= 1000) {
        window[0] = now;
        window[1] = 0;
      }
      if (++window[1] > MAX_MESSAGES_PER_SECOND) {
        ws.close((short) 1008, "too many messages");
        return;
      }
      ServerMessage reply;
      try {
        ClientMessage m = ClientMessage.parse(text);
        // Java 17 has no pattern switch; ClientMessage is sealed, so this chain is the whole set.
        if (m instanceof ClientMessage.Ping) {
          reply = new ServerMessage.Pong();
        } else {
          throw new IllegalStateException("unhandled client message " + m);
        }
      } catch (ClientMessage.Invalid invalid) {
        reply = new ServerMessage.Error(invalid.code(), invalid.getMessage());
      }
      ws.writeTextMessage(reply.toJson().encode());
    });
  }
}
