package io.projector.signaling.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Messages the server sends on a session's event WebSocket ({@code /api/sessions/{id}/events}). Each is
 * documented with an example in docs/protocol.md. The {@code type} field is the discriminator.
 */
public sealed interface ServerMessage {
  int PROTOCOL_VERSION = 1;

  String type();

  JsonObject toJson();

  /**
   * First message on every connection: the protocol version and the session's current state, with the current
   * {@link Layers} advice when there is one (null: none).
   */
  record Hello(String sessionId, boolean live, int viewers, List<String> layers) implements ServerMessage {
    public Hello(String sessionId, boolean live, int viewers) {
      this(sessionId, live, viewers, null);
    }

    public String type() {
      return "hello";
    }

    public JsonObject toJson() {
      JsonObject session = new JsonObject().put("id", sessionId).put("live", live).put("viewers", viewers);
      if (layers != null) {
        session.put("layers", new JsonArray(List.copyOf(layers)));
      }
      return new JsonObject().put("type", type()).put("version", PROTOCOL_VERSION).put("session", session);
    }
  }

  /**
   * Which simulcast layers (rids, lowest first) the presenter should send: the SFU pauses a middle layer while no
   * viewer could use it, because every layer costs the presenter's encoder time on every frame. Sent when the
   * advice changes and once after a presenter connects; viewers ignore it.
   */
  record Layers(List<String> active) implements ServerMessage {
    public String type() {
      return "layers";
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("active", new JsonArray(List.copyOf(active)));
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
