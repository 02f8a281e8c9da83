package io.projector.signaling;

import static io.projector.signaling.testpeer.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.sdp.MediaKind;
import io.projector.signaling.testpeer.TestPackets;
import io.projector.signaling.testpeer.TestPeer;
import io.projector.signaling.testpeer.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Media through the SFU over real sockets: a programmatic presenter and viewers that do ICE, DTLS and SRTP
 * exactly as a browser does, so what is checked here is what a browser would see on the wire.
 */
class MediaPathIT {
  private static final int FIRST_SEQ = 65_500; // wraps during the run: the rewrite must keep the sequence
  private static final long FIRST_TS = 0xffff_0000L;
  private static TestServer server;
  private final List<TestPeer> peers = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.ephemeral());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closePeers() {
    peers.forEach(TestPeer::close);
  }

  /** A live session: the presenter and {@code viewers} viewers, all connected as the session reports. */
  private TestPeer[] liveSession(int viewers) throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer[] all = new TestPeer[viewers + 1];
    all[0] = track(server.publish(s));
    for (int i = 1; i <= viewers; i++) {
      all[i] = track(server.subscribe(s));
    }
    await("the session is live with " + viewers + " viewers", Duration.ofSeconds(5),
        () -> server.live(s.id()) && server.viewers(s.id()) == viewers);
    return all;
  }

  private TestPeer track(TestPeer p) {
    peers.add(p);
    return p;
  }

  /** Sends a VP8 keyframe packet and then {@code count - 1} delta packets; returns what was sent. */
  private static List<byte[]> sendVideo(TestPeer presenter, int count) {
    int pt = presenter.answerPayloadType(MediaKind.VIDEO, "VP8");
    long ssrc = presenter.offerSsrc(MediaKind.VIDEO);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] packet = TestPackets.rtp(pt, FIRST_SEQ + i, FIRST_TS + 3000L * i, ssrc, true,
          TestPackets.vp8Payload(i == 0, 100 + i, i));
      assertTrue(presenter.sendRtp(packet));
      sent.add(packet);
    }
    return sent;
  }

  @Test
  @Timeout(20)
  void presenterPacketsReachEveryViewerRewrittenAndReEncrypted() throws Exception {
    TestPeer[] session = liveSession(3);
    List<byte[]> sent = sendVideo(session[0], 51);

    for (int v = 1; v < session.length; v++) {
      TestPeer viewer = session[v];
      long ssrc = viewer.answerSsrc(MediaKind.VIDEO);
      int pt = viewer.answerPayloadType(MediaKind.VIDEO, "VP8");
      for (int i = 0; i < sent.size(); i++) {
        byte[] got = viewer.receivedRtp().poll(5, TimeUnit.SECONDS);
        assertNotNull(got, "viewer " + v + " got only " + i + " of " + sent.size() + " packets");
        assertEquals(ssrc, RtpHeader.ssrc(got, 0), "the SFU's SSRC from the viewer's answer");
        assertEquals(pt, RtpHeader.payloadType(got, 0), "the viewer's VP8 payload type");
        assertEquals((FIRST_SEQ + i) & 0xffff, RtpHeader.sequenceNumber(got, 0), "consecutive sequence numbers");
        assertEquals(RtpHeader.timestamp(sent.get(i), 0), RtpHeader.timestamp(got, 0));
        assertTrue(RtpHeader.marker(got, 0));
        assertArrayEquals(TestPackets.payload(sent.get(i)), TestPackets.payload(got), "packet " + i + " payload");
      }
      assertEquals(0, viewer.srtpFailures(), "everything the SFU sent authenticated with the viewer's keys");
    }
  }

  /**
   * The browser's check succeeded and it nominated the pair, so it starts DTLS; the SFU's own check of that pair
   * (which ice4j, as the controlled agent, waits for before it selects the pair) is never answered here. The SFU
   * answers the ClientHello and sends media on the pair the browser nominated anyway, as an ICE-lite server
   * would: joining does not wait for our check. (Without that, this viewer never completes its handshake.)
   */
  @Test
  @Timeout(20)
  void dtlsAndMediaDoNotWaitForTheSfusOwnCheckOfTheNominatedPair() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer presenter = track(server.publish(s));
    TestPeer viewer = track(server.subscribeWithoutAnsweringChecks(s));
    await("the viewer is connected", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 1);
    assertEquals(0, viewer.stunRequestsAnswered(), "the SFU's checks went unanswered");
    List<byte[]> sent = sendVideo(presenter, 5);
    for (int i = 0; i < sent.size(); i++) {
      byte[] got = viewer.receivedRtp().poll(5, TimeUnit.SECONDS);
      assertNotNull(got, "packet " + i + " did not reach the viewer");
      assertEquals(RtpHeader.sequenceNumber(sent.get(i), 0), RtpHeader.sequenceNumber(got, 0));
    }
  }

  /** The viewer page's lookup (join=1) has a keyframe made ready before the viewer's media even connects. */
  @Test
  @Timeout(20)
  void aViewerPageAboutToJoinHasTheSfuAskThePresenterForAKeyframe() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer presenter = track(server.publish(s));
    await("the presenter is live", Duration.ofSeconds(5), () -> server.live(s.id()));
    int pt = presenter.answerPayloadType(MediaKind.VIDEO, "VP8");
    long ssrc = presenter.offerSsrc(MediaKind.VIDEO);
    long in = server.server().media().counters().rtpPacketsIn.sum();
    for (int i = 0; i < 3; i++) { // delta frames only: the video is known, no keyframe is cached
      assertTrue(presenter.sendRtp(TestPackets.rtp(pt, 100 + i, 3000L * i, ssrc, true,
          TestPackets.vp8Payload(false, 100 + i, i))));
    }
    await("the SFU has the presenter's video", Duration.ofSeconds(5),
        () -> server.server().media().counters().rtpPacketsIn.sum() - in >= 3);
    presenter.receivedRtcp().clear();

    assertEquals(s.id(), server.info(s.id(), "?join=1").getString("id"));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean pli = false;
    while (!pli && System.nanoTime() < deadline) {
      byte[] compound = presenter.receivedRtcp().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      for (TestPackets.Rtcp p : compound == null ? List.<TestPackets.Rtcp>of() : TestPackets.split(compound)) {
        pli |= p.isPli() && p.mediaSsrc() == ssrc;
      }
    }
    assertTrue(pli, "no keyframe request for the presenter's video within 5 s of the lookup");
  }

  @Test
  @Timeout(20)
  void aBurstOfViewerPlisReachesThePresenterAsAtMostTwoPlisForItsVideo() throws Exception {
    TestPeer[] session = liveSession(2);
    TestPeer presenter = session[0];
    TestPeer viewer = session[1];
    sendVideo(presenter, 5);
    await("the viewer gets video", Duration.ofSeconds(5), () -> viewer.receivedRtp().size() == 5);
    long fromViewers = server.server().media().counters().keyframeRequestsFromViewers.sum();
    presenter.receivedRtcp().clear();

    long t0 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertTrue(viewer.sendRtcp(TestPackets.pli(viewer.rtcpSsrc(), viewer.answerSsrc(MediaKind.VIDEO))));
    }
    long burstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    await("the SFU has read all 20 PLIs", Duration.ofSeconds(5),
        () -> server.server().media().counters().keyframeRequestsFromViewers.sum() - fromViewers >= 20);

    // Watch the presenter for longer than the merge interval (250 ms) so a deferred PLI would be seen too.
    int plis = 0;
    long watchUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    long remaining;
    while ((remaining = watchUntil - System.nanoTime()) > 0) {
      byte[] compound = presenter.receivedRtcp().poll(remaining, TimeUnit.NANOSECONDS);
      if (compound == null) {
        break;
      }
      for (TestPackets.Rtcp p : TestPackets.split(compound)) {
        if (p.isPli()) {
          assertEquals(presenter.offerSsrc(MediaKind.VIDEO), p.mediaSsrc(), "the PLI names the presenter's video");
          plis++;
        }
      }
    }
    // One at once, one merged at the end of the interval; a burst stretched by a busy machine may span more.
    long allowed = 2 + burstMs / MediaConfig.DEFAULT_KEYFRAME_MIN_INTERVAL_MS;
    assertTrue(plis >= 1 && plis <= allowed,
        "20 PLIs sent within " + burstMs + " ms reach the presenter as 1.." + allowed + ", got " + plis);
  }

  @Test
  @Timeout(20)
  void thePresenterReceivesReceiverReportsListingItsVideoSsrc() throws Exception {
    TestPeer presenter = liveSession(1)[0];
    sendVideo(presenter, 10);
    long video = presenter.offerSsrc(MediaKind.VIDEO);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (true) {
      byte[] compound = presenter.receivedRtcp().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(compound, "no receiver report listing SSRC " + video + " within 3 s");
      if (TestPackets.split(compound).stream()
          .anyMatch(p -> p.type() == RtcpHeader.RR && p.reportedSsrcs().contains(video))) {
        break;
      }
    }
    assertEquals(0, presenter.srtpFailures());
  }

  @Test
  @Timeout(20)
  void aViewersNackIsAnsweredFromTheSharedCacheOverRtx() throws Exception {
    TestPeer[] session = liveSession(1);
    TestPeer viewer = session[1];
    List<byte[]> sent = sendVideo(session[0], 20);
    await("the viewer gets video", Duration.ofSeconds(5), () -> viewer.receivedRtp().size() == 20);
    viewer.receivedRtp().clear();

    long videoSsrc = viewer.answerSsrc(MediaKind.VIDEO);
    byte[] nack = new byte[64];
    int lost = (FIRST_SEQ + 5) & 0xffff;
    int len = io.projector.sfu.rtcp.Nack.write(nack, 0, viewer.rtcpSsrc(), videoSsrc, new int[] {lost}, 1);
    assertTrue(viewer.sendRtcp(java.util.Arrays.copyOf(nack, len)));

    byte[] rtx = viewer.receivedRtp().poll(5, TimeUnit.SECONDS);
    assertNotNull(rtx, "a retransmission arrives");
    int rtxPt = viewer.sdp().answerRtxPayloadType(MediaKind.VIDEO, "VP8");
    assertTrue(rtxPt > 0, "the viewer negotiated RTX");
    assertEquals(rtxPt, RtpHeader.payloadType(rtx, 0), "RTX payload type from the viewer's answer");
    assertEquals(io.projector.sfu.sdp.AnswerBuilder.rtxSsrc(videoSsrc), RtpHeader.ssrc(rtx, 0), "the announced RTX SSRC");
    byte[] payload = TestPackets.payload(rtx);
    assertEquals(lost, ((payload[0] & 0xff) << 8) | (payload[1] & 0xff), "original sequence number first");
    assertArrayEquals(TestPackets.payload(sent.get(5)),
        java.util.Arrays.copyOfRange(payload, 2, payload.length), "then the original payload");
    await("the SFU counts the retransmission", Duration.ofSeconds(5),
        () -> server.server().media().counters().packetsRetransmitted.sum() >= 1);
  }

  @Test
  @Timeout(20)
  void aPacketLostOnThePresentersPathIsNackedUpstream() throws Exception {
    TestPeer[] session = liveSession(1);
    TestPeer presenter = session[0];
    int pt = presenter.answerPayloadType(MediaKind.VIDEO, "VP8");
    long ssrc = presenter.offerSsrc(MediaKind.VIDEO);
    presenter.receivedRtcp().clear();
    for (int i = 0; i < 10; i++) {
      if (i == 4) {
        continue; // lost between presenter and SFU
      }
      presenter.sendRtp(TestPackets.rtp(pt, FIRST_SEQ + i, FIRST_TS + 3000L * i, ssrc, true,
          TestPackets.vp8Payload(i == 0, 100 + i, i)));
    }
    int missing = (FIRST_SEQ + 4) & 0xffff;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean nacked = false;
    while (!nacked && System.nanoTime() < deadline) {
      byte[] compound = presenter.receivedRtcp().poll(200, TimeUnit.MILLISECONDS);
      if (compound == null) {
        continue;
      }
      for (TestPackets.Rtcp p : TestPackets.split(compound)) {
        if (p.type() == 205 && p.countOrFormat() == 1) {
          int[] seqs = new int[32];
          int n = io.projector.sfu.rtcp.Nack.parse(p.bytes(), 0, p.bytes().length, seqs);
          for (int k = 0; k < n; k++) {
            nacked |= seqs[k] == missing;
          }
          assertEquals(ssrc, p.mediaSsrc(), "the NACK names the presenter's video");
        }
      }
    }
    assertTrue(nacked, "the SFU asked the presenter for the lost packet");
  }
}
