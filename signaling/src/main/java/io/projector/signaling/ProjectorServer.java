package io.projector.signaling;

import io.projector.sfu.MediaServer;
import io.projector.signaling.api.ApiError;
import io.projector.signaling.api.EventSocket;
import io.projector.signaling.api.SessionRoutes;
import io.projector.signaling.api.WebRoutes;
import io.projector.signaling.api.WhipWhepRoutes;
import io.projector.signaling.session.SessionRegistry;
import io.projector.signaling.turn.IceServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;

/** The whole server in one process: the media plane plus the Vert.x HTTP API, WHIP/WHEP, events and pages. */
public final class ProjectorServer implements AutoCloseable {
  private final ServerConfig config;
  private final Vertx vertx;
  private final MediaServer media;
  private final SessionRegistry registry;
  private final io.projector.signaling.metrics.Metrics metrics;
  private volatile boolean closing;
  private final IceServers iceServers;
  private HttpServer http;
  private long expiryTimer = -1;

  private ProjectorServer(ServerConfig config, Vertx vertx, MediaServer media) {
    this.config = config;
    this.vertx = vertx;
    this.media = media;
    this.registry = new SessionRegistry(media);
    this.metrics = new io.projector.signaling.metrics.Metrics(media.counters(), registry);
    this.iceServers = new IceServers(config.turn(), java.time.Clock.systemUTC());
  }

  /** Starts media and HTTP; the future fails if either cannot bind. */
  public static Future<ProjectorServer> start(ServerConfig config) {
    MediaServer media;
    try {
      media = MediaServer.start(config.media());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    Vertx vertx = Vertx.vertx();
    ProjectorServer server = new ProjectorServer(config, vertx, media);
    return server.listen().map(server).onFailure(err -> server.close());
  }

  private Future<HttpServer> listen() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.route("/api/*").handler(io.projector.signaling.api.CorsRoute::handle);
    router.route("/whip/*").handler(io.projector.signaling.api.CorsRoute::handle);
    router.route("/whep/*").handler(io.projector.signaling.api.CorsRoute::handle);
    SessionRoutes sessionRoutes = new SessionRoutes(registry, iceServers);
    sessionRoutes.mount(router);
    new WhipWhepRoutes(registry, iceServers).mount(router);
    new EventSocket(registry).mount(router);
    io.projector.signaling.api.OpsRoutes.mount(router, metrics,
        () -> http != null && !closing && media.warmUp().isDone());
    WebRoutes.mount(router, id -> sessionRoutes.joinInfo(id).map(j -> j.encode()));
    router.route().failureHandler(ApiError::handleFailure);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxWebSocketFrameSize(4096)
        .setMaxWebSocketMessageSize(4096)
        .setCompressionSupported(true);
    expiryTimer = vertx.setPeriodic(10_000, id -> registry.expireIdle(System.currentTimeMillis(),
        config.sessionIdleTimeoutMs()));
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> http = s);
  }

  public int httpPort() {
    return http.actualPort();
  }

  public int mediaPort() {
    return media.mediaPort();
  }

  public MediaServer media() {
    return media;
  }

  /** The STUN/TURN servers handed to clients (for the start-up log). */
  public IceServers iceServers() {
    return iceServers;
  }

  public SessionRegistry sessions() {
    return registry;
  }

  @Override
  public void close() {
    closing = true;
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    registry.closeAll();
    media.close();
    metrics.close();
    vertx.close().await();
  }
}
