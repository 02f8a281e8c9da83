package io.projector.signaling;

import static io.projector.signaling.testpeer.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.projector.sfu.MediaConfig;
import io.projector.signaling.testpeer.TestPeer;
import io.projector.signaling.testpeer.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that vanishes without a goodbye (closed laptop lid, lost Wi-Fi) sends no DTLS close_notify and no
 * DELETE: only its silence tells. The SFU must notice and drop it, so counts and the live flag stay honest.
 */
class PeerTimeoutIT {
  private static final long PEER_TIMEOUT_MS = 1500;
  private static TestServer server;
  private final List<TestPeer> peers = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.ephemeral()
        .withMedia(MediaConfig.defaults().withMediaPort(0).withPeerTimeoutMs(PEER_TIMEOUT_MS)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closePeers() {
    peers.forEach(TestPeer::close);
  }

  private TestPeer track(TestPeer p) {
    peers.add(p);
    return p;
  }

  @Test
  @Timeout(20)
  void aViewerThatGoesSilentIsRemovedAndTheCountDrops() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer silent = track(server.subscribe(s));
    TestPeer talking = track(server.subscribe(s));
    await("both viewers are connected", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 2);
    long timedOut = server.server().media().counters().peersTimedOut.sum();

    silent.silence();
    await("the silent viewer is gone", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 1);
    assertEquals(timedOut + 1, server.server().media().counters().peersTimedOut.sum(), "removed by the timeout");

    // The other viewer keeps sending RTCP as browsers do: it must outlive a further full timeout period.
    long watchUntil = System.nanoTime() + Duration.ofMillis(PEER_TIMEOUT_MS + 500).toNanos();
    while (System.nanoTime() < watchUntil) {
      assertEquals(1, server.viewers(s.id()), "a viewer that keeps talking stays");
      Thread.sleep(50);
    }

    talking.silence();
    await("no viewer is left", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 0);
  }

  @Test
  @Timeout(20)
  void aPresenterThatGoesSilentIsNoLongerLive() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer presenter = track(server.publish(s));
    track(server.subscribe(s));
    await("the session is live with its viewer", Duration.ofSeconds(5),
        () -> server.live(s.id()) && server.viewers(s.id()) == 1);

    presenter.silence();
    await("the session is no longer live", Duration.ofSeconds(5), () -> !server.live(s.id()));
    assertEquals(1, server.viewers(s.id()), "the viewer, still talking, stays to wait for a new presenter");
  }
}
