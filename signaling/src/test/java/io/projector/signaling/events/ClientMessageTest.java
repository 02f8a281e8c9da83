package io.projector.signaling.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMessageTest {
  @Test
  void parsesPing() throws Exception {
    assertInstanceOf(ClientMessage.Ping.class, ClientMessage.parse("{\"type\":\"ping\"}"));
  }

  @Test
  void refusesAnythingElseWithAStableCode() {
    assertEquals("invalid_json", assertThrows(ClientMessage.Invalid.class, () -> ClientMessage.parse("[1,2")).code());
    assertEquals("invalid_json", assertThrows(ClientMessage.Invalid.class, () -> ClientMessage.parse("[1]")).code());
    assertEquals("missing_type", assertThrows(ClientMessage.Invalid.class, () -> ClientMessage.parse("{}")).code());
    assertEquals("missing_type",
        assertThrows(ClientMessage.Invalid.class, () -> ClientMessage.parse("{\"type\":3}")).code());
    assertEquals("unknown_type",
        assertThrows(ClientMessage.Invalid.class, () -> ClientMessage.parse("{\"type\":\"x\"}")).code());
    assertEquals("message_too_large", assertThrows(ClientMessage.Invalid.class,
        () -> ClientMessage.parse("{\"type\":\"" + "a".repeat(2000) + "\"}")).code());
  }

  @Test
  void serverMessagesCarryTheirTypeDiscriminator() {
    assertEquals("{\"type\":\"hello\",\"version\":1,\"session\":{\"id\":\"s\",\"live\":true,\"viewers\":2}}",
        new ServerMessage.Hello("s", true, 2).toJson().encode());
    assertEquals("{\"type\":\"hello\",\"version\":1,\"session\":{\"id\":\"s\",\"live\":true,\"viewers\":2,"
        + "\"layers\":[\"q\",\"f\"]}}", new ServerMessage.Hello("s", true, 2, List.of("q", "f")).toJson().encode());
    assertEquals("{\"type\":\"layers\",\"active\":[\"q\",\"h\",\"f\"]}",
        new ServerMessage.Layers(List.of("q", "h", "f")).toJson().encode());
    assertEquals("{\"type\":\"viewers\",\"count\":3}", new ServerMessage.Viewers(3).toJson().encode());
    assertEquals("{\"type\":\"ended\",\"reason\":\"expired\"}", new ServerMessage.Ended("expired").toJson().encode());
  }
}
