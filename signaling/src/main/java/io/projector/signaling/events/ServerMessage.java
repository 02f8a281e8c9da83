package io.projector.signaling.events;

import io.vertx.core.json.JsonObject;

/**
 * Messages the server sends on a session's event WebSocket ({@code /api/sessions/{id}/events}). Each is
 * documented with an example in docs/protocol.md. The {@code type} field is the discriminator.
 */
public sealed interface ServerMessage {
  int PROTOCOL_VERSION = 1;

  String type();

  JsonObject toJson();

  /** First message on every connection: the protocol version and the session's current state. */
  record Hello(String sessionId, boolean live, int viewers) implements ServerMessage {
    public String type() {
      return "hello";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("version", PROTOCOL_VERSION)
          .put("session", new JsonObject().put("id", sessionId).put("live", live).put("viewers", viewers));
    }
  }

  /** The presenter's media went live or stopped. */
  record Presenter(boolean live) implements ServerMessage {
    public String type() {
      return "presenter";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("live", live);
    }
  }

  /** The number of connected viewers changed. */
  record Viewers(int count) implements ServerMessage {
    public String type() {
      return "viewers";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("count", count);
    }
  }

  /** The session ended; the server closes the socket after this. */
  record Ended(String reason) implements ServerMessage {
    public String type() {
      return "ended";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("reason", reason);
    }
  }

  /** Answer to a client ping. */
  record Pong() implements ServerMessage {
    public String type() {
      return "pong";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  /** A client message was not understood; the stable code is for programs, the message for people. */
  record Error(String code, String message) implements ServerMessage {
    public String type() {
      return "error";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("code", code).put("message", message);
    }
  }
}
