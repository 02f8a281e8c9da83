package io.projector.loadtest.signal;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Janus refused a request: either the core ({@code {"janus":"error","error":{"code":458,"reason":"..."}}}) or a
 * plugin ({@code "plugindata":{"data":{"error_code":428,"error":"No such feed (...)"}}}). The code is Janus' own
 * (core codes 4xx from janus/apierror.h, VideoRoom codes 421..499).
 */
public final class JanusApiException extends IOException {
  private final int code;

  public JanusApiException(String request, int code, String reason) {
    super("Janus refused " + request + ": error " + code + " " + reason);
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The core's or the plugin's error in a Janus reply, as an exception; null when the reply is no error. */
  static JanusApiException of(String request, JsonObject reply) {
    if ("error".equals(reply.getString("janus"))) {
      JsonObject error = reply.getJsonObject("error", new JsonObject());
      return new JanusApiException(request, error.getInteger("code", 0), error.getString("reason", "(no reason)"));
    }
    JsonObject plugindata = reply.getJsonObject("plugindata");
    JsonObject data = plugindata == null ? null : plugindata.getJsonObject("data");
    if (data != null && data.containsKey("error_code")) {
      return new JanusApiException(request, data.getInteger("error_code"), data.getString("error", "(no reason)"));
    }
    return null;
  }
}
