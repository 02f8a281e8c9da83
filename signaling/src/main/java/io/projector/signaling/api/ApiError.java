package io.projector.signaling.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Every API error: a stable code for programs, a message for people, and its HTTP status, mapped in this one
 * place. The body is always {@code {"error":{"code":"...","message":"..."}}}.
 */
public final class ApiError extends RuntimeException {
  public enum Code {
    SESSION_NOT_FOUND(404),
    PEER_NOT_FOUND(404),
    UNAUTHORIZED(401),
    BAD_SDP(400),
    BAD_REQUEST(400),
    UNSUPPORTED_MEDIA_TYPE(415),
    PAYLOAD_TOO_LARGE(413),
    INTERNAL(500);

    final int status;

    Code(int status) {
      this.status = status;
    }

    public String wire() {
      return name().toLowerCase();
    }
  }

  private final Code code;

  public ApiError(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static void send(RoutingContext ctx, Code code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    var response = ctx.response().setStatusCode(code.status).putHeader("Content-Type", "application/json");
    if (code == Code.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(new JsonObject()
        .put("error", new JsonObject().put("code", code.wire()).put("message", message)).encode());
  }

  /** Router failure handler: ApiErrors become their JSON, anything else a 500 without internals. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ApiError e) {
      send(ctx, e.code, e.getMessage());
    } else if (ctx.statusCode() == 413) {
      send(ctx, Code.PAYLOAD_TOO_LARGE, "request body too large");
    } else if (ctx.statusCode() == 404) {
      send(ctx, Code.BAD_REQUEST, "no such resource: " + ctx.request().path());
    } else if (ctx.statusCode() > 0 && ctx.statusCode() < 500) {
      send(ctx, Code.BAD_REQUEST, "bad request");
    } else {
      org.slf4j.LoggerFactory.getLogger(ApiError.class).warn("request failed: {} {}", ctx.request().method(),
          ctx.request().path(), f);
      send(ctx, Code.INTERNAL, "internal error");
    }
  }
}
