package io.projector.signaling;

import static io.projector.signaling.testpeer.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.MediaCounters;
import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.session.SessionListener;
import io.projector.signaling.testpeer.TestPeer;
import io.projector.signaling.testpeer.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The a=fingerprint in the offer is what binds the DTLS handshake to the signalled peer (RFC 8827 §6.5): a
 * peer presenting any other certificate, e.g. a man in the middle on the media path, must be refused.
 */
class DtlsFingerprintIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.ephemeral());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  @Timeout(20)
  void aPeerWhoseCertificateDoesNotMatchItsOfferIsRefusedAndCounted() throws Exception {
    TestServer.Session s = server.createSession();
    List<Integer> viewerCounts = new CopyOnWriteArrayList<>();
    List<String> removals = new CopyOnWriteArrayList<>();
    server.server().sessions().find(s.id()).orElseThrow().media().addListener(new SessionListener() {
      @Override
      public void onPresenterLive(boolean live) {}

      @Override
      public void onViewerCount(int connectedViewers) {
        viewerCounts.add(connectedViewers);
      }

      @Override
      public void onPeerRemoved(String peerId, String reason) {
        removals.add(reason);
      }
    });
    MediaCounters counters = server.server().media().counters();
    long mismatches = counters.dtlsFingerprintMismatches.sum();

    DtlsCertificate other = DtlsCertificate.generate();
    IOException refused = assertThrows(IOException.class, () -> TestPeer.connect(server.baseUrl(),
        "/whep/" + s.id(), null, TestServer.VIEWER_OFFER, other));
    assertTrue(refused.getMessage().contains("DTLS"), refused.getMessage());

    await("the mismatch is counted", Duration.ofSeconds(5),
        () -> counters.dtlsFingerprintMismatches.sum() == mismatches + 1);
    await("the peer is removed", Duration.ofSeconds(5), () -> removals.contains("dtls_fingerprint_mismatch"));
    assertTrue(viewerCounts.stream().allMatch(c -> c == 0), "never counted as connected: " + viewerCounts);
    assertEquals(0, server.viewers(s.id()));

    // The same offer with the truthful fingerprint connects: the refusal was about the certificate alone.
    try (TestPeer honest = server.subscribe(s)) {
      await("the honest viewer is connected", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 1);
    }
    assertEquals(mismatches + 1, counters.dtlsFingerprintMismatches.sum());
  }
}
