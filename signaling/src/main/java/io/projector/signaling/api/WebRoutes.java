package io.projector.signaling.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The presenter and viewer pages (module web-client, packaged under {@code web/} on the classpath):
 * {@code /} and {@code /present/{id}} serve the presenter page, {@code /view/{id}} the viewer page.
 */
public final class WebRoutes {
  private WebRoutes() {}

  public static void mount(Router router) {
    router.get("/").handler(ctx -> page(ctx, "web/index.html"));
    router.get("/present/:id").handler(ctx -> page(ctx, "web/index.html"));
    router.get("/view/:id").handler(ctx -> page(ctx, "web/view.html"));
    router.get("/*").handler(StaticHandler.create("web").setCachingEnabled(false).setDirectoryListing(false)
        .setIncludeHidden(false));
  }

  private static void page(io.vertx.ext.web.RoutingContext ctx, String resource) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .sendFile(resource);
  }
}
