package io.projector.signaling.api;

import io.projector.signaling.metrics.Metrics;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * Operator endpoints: {@code /metrics} (Prometheus text format), {@code /health/live} (the process runs) and
 * {@code /health/ready} (media port bound, start-up warm-up done, not shutting down: route traffic here).
 */
public final class OpsRoutes {
  private OpsRoutes() {}

  public static void mount(Router router, Metrics metrics, BooleanSupplier ready) {
    router.get("/metrics").handler(ctx -> ctx.vertx().<String>executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail));
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "up").encode()));
    router.get("/health/ready").handler(ctx -> {
      boolean ok = ready.getAsBoolean();
      ctx.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", ok ? "ready" : "not_ready").encode());
    });
  }
}
