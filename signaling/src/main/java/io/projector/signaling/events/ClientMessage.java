package io.projector.signaling.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Messages a client may send on the event WebSocket. Validated here, at the edge. */
public sealed interface ClientMessage {
  int MAX_LENGTH = 1024;

  /** Keep-alive / liveness probe; answered with {@link ServerMessage.Pong}. */
  record Ping() implements ClientMessage {}

  /** Thrown for anything that is not a valid client message; carries a stable code. */
  final class Invalid extends Exception {
    private final String code;

    Invalid(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  static ClientMessage parse(String text) throws Invalid {
    if (text.length() > MAX_LENGTH) {
      throw new Invalid("message_too_large", "messages are limited to " + MAX_LENGTH + " characters");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new Invalid("invalid_json", "message is not a JSON object");
    }
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      throw new Invalid("missing_type", "message needs a string field \"type\"");
    }
    return switch (t) {
      case "ping" -> new Ping();
      default -> throw new Invalid("unknown_type", "unknown message type \"" + abbreviate(t) + "\"");
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
