package io.projector.signaling.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the API and WHIP/WHEP: any origin may call them (a WHEP player on another site, OBS's browser
 * source). No cookies are used, so a wildcard origin is safe; the presenter key travels in Authorization.
 */
public final class CorsRoute {
  private CorsRoute() {}

  public static void handle(RoutingContext ctx) {
    var r = ctx.response();
    r.putHeader("Access-Control-Allow-Origin", "*");
    r.putHeader("Access-Control-Expose-Headers", "Location, Link, ETag, Accept-Patch");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      r.putHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
      r.putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
      r.putHeader("Access-Control-Max-Age", "86400");
      if (ctx.request().path().startsWith("/whip/") || ctx.request().path().startsWith("/whep/")) {
        r.putHeader("Accept-Post", "application/sdp");
      }
      r.setStatusCode(204).end();
      return;
    }
    ctx.next();
  }
}
