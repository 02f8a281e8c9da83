package io.projector.loadtest.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JanusSessionTest {
  private FakeJanus janus;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void startFakeJanus() throws Exception {
    janus = new FakeJanus();
  }

  @AfterEach
  void stopFakeJanus() {
    janus.close();
  }

  @Test
  void postsAKeepaliveOnceTheIntervalHasPassedSinceTheLastOne() throws Exception {
    AtomicLong nanos = new AtomicLong();
    // Every reading of the clock is a poll later and a keepalive interval further on.
    try (JanusSession session = JanusSession.create(http, URI.create(janus.url()), Duration.ofSeconds(5),
        () -> nanos.getAndAdd(JanusSession.KEEPALIVE_INTERVAL_NANOS))) {
      assertTrue(janus.keepaliveReceived.await(10, TimeUnit.SECONDS), "no keepalive posted");
      assertEquals(session.id(), janus.sessionIds().get(0));
    }
  }

  @Test
  void noKeepaliveIsPostedWhileTheClockStandsStill() throws Exception {
    try (JanusSession session = JanusSession.create(http, URI.create(janus.url()), Duration.ofSeconds(5), () -> 0L)) {
      // A synchronous request made after several empty polls: its reply proves the session works, and the
      // clock never moved, so nothing but the long polls kept the session alive.
      janus.plugin(m -> m.reply(new JsonObject().put("janus", "success")));
      long handle = session.attach(JanusVideoRoom.PLUGIN, e -> { });
      assertEquals("success", session.message(handle, new JsonObject().put("request", "list"), null).getString("janus"));
      assertEquals(1, janus.keepaliveReceived.getCount());
    }
  }

  @Test
  void requestsAfterCloseFailInsteadOfWaiting() throws Exception {
    JanusSession session = JanusSession.create(http, URI.create(janus.url()), Duration.ofSeconds(60));
    long handle = session.attach(JanusVideoRoom.PLUGIN, e -> { });
    session.close();
    JanusApiException e = assertThrows(JanusApiException.class,
        () -> session.message(handle, new JsonObject().put("request", "join"), null));
    assertEquals(458, e.code()); // the fake, like Janus, no longer knows the session
  }
}
