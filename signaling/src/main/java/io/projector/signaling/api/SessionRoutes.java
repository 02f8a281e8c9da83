package io.projector.signaling.api;

import io.projector.signaling.session.SessionEntry;
import io.projector.signaling.session.SessionRegistry;
import io.projector.signaling.turn.IceServers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/sessions}: create, inspect and end sessions. */
public final class SessionRoutes {
  private final SessionRegistry registry;
  private final IceServers iceServers;

  public SessionRoutes(SessionRegistry registry, IceServers iceServers) {
    this.registry = registry;
    this.iceServers = iceServers;
  }

  public void mount(Router router) {
    router.post("/api/sessions").handler(this::create);
    router.get("/api/sessions/:id").handler(this::get);
    router.delete("/api/sessions/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    SessionRegistry.Created c = registry.create();
    String id = c.entry().id();
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .putHeader("Location", "/api/sessions/" + id)
        .end(new JsonObject()
            .put("id", id)
            .put("presenterKey", c.presenterKey())
            .put("presenterUrl", "/present/" + id + "#key=" + c.presenterKey())
            .put("viewerUrl", "/view/" + id)
            .encode());
  }

  private void get(RoutingContext ctx) {
    SessionEntry e = existing(registry, ctx.pathParam("id"));
    if ("1".equals(ctx.request().getParam("join"))) {
      // A viewer page about to join: a keyframe is made ready while it sets up its connection.
      e.media().expectViewer();
    }
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(describe(e).encode());
  }

  /**
   * What {@code GET /api/sessions/{id}?join=1} answers, for a viewer page about to join (its HTML embeds it, so
   * the page need not ask): a keyframe is made ready, and the ICE servers carry fresh credentials. Empty when there
   * is no such session.
   */
  public java.util.Optional<JsonObject> joinInfo(String id) {
    return registry.find(id).map(e -> {
      e.media().expectViewer();
      return describe(e);
    });
  }

  private JsonObject describe(SessionEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("live", e.media().presenterLive())
        .put("viewers", e.media().viewerCount())
        .put("createdAt", e.createdAt().toString())
        // Fresh per-request TURN credentials: each page load (one peer) gets its own, expiring ones.
        .put("iceServers", iceServers.json(iceServers.issue()));
  }

  private void delete(RoutingContext ctx) {
    SessionEntry e = existing(registry, ctx.pathParam("id"));
    requirePresenterKey(ctx, e);
    registry.end(e, "presenter_stopped");
    ctx.response().setStatusCode(204).end();
  }

  static SessionEntry existing(SessionRegistry registry, String id) {
    return registry.find(id).orElseThrow(() -> new ApiError(ApiError.Code.SESSION_NOT_FOUND,
        "no session with this id (it may have ended)"));
  }

  /** Checks {@code Authorization: Bearer <presenterKey>}; the key is never logged or echoed. */
  static void requirePresenterKey(RoutingContext ctx, SessionEntry e) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiError(ApiError.Code.UNAUTHORIZED, "this needs the presenter key: Authorization: Bearer <key>");
    }
    if (!e.presenterKeyMatches(auth.substring(7).trim())) {
      throw new ApiError(ApiError.Code.UNAUTHORIZED, "wrong presenter key");
    }
  }
}
