package io.projector.signaling;

import static io.projector.signaling.testpeer.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.loadtest.ice.StunMessages;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.session.SessionListener;
import io.projector.signaling.testpeer.TestPackets;
import io.projector.signaling.testpeer.TestPeer;
import io.projector.signaling.testpeer.TestServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media port is open to the whole internet: scanners, broken clients and attackers who know or spoof a
 * peer's address all reach it. Garbage must cost a counter increment, never a session.
 */
class GarbageOnTheMediaPortIT {
  private static final long SEED = 20_240_611L; // fixed: a failure can be replayed with the same datagrams
  private static TestServer server;
  private final List<TestPeer> peers = new ArrayList<>();
  private int seq;

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

  private TestPeer track(TestPeer p) {
    peers.add(p);
    return p;
  }

  private byte[] nextVideo(TestPeer presenter, boolean keyframe) {
    int s = seq++;
    return TestPackets.rtp(presenter.answerPayloadType(MediaKind.VIDEO, "VP8"), s, 3000L * s,
        presenter.offerSsrc(MediaKind.VIDEO), true, TestPackets.vp8Payload(keyframe, 50 + s % 200, s));
  }

  @Test
  @Timeout(20)
  void randomDatagramsDoNotDisturbAConnectedSession() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer presenter = track(server.publish(s));
    TestPeer viewer = track(server.subscribe(s));
    await("the session is live", Duration.ofSeconds(5), () -> server.live(s.id()) && server.viewers(s.id()) == 1);
    for (int i = 0; i < 10; i++) {
      presenter.sendRtp(nextVideo(presenter, i == 0));
    }
    await("media flows", Duration.ofSeconds(5), () -> viewer.receivedRtp().size() == 10);
    MediaCounters c = server.server().media().counters();
    long srtpFailures = c.srtpFailures.sum();
    long unknown = c.unknownPackets.sum();
    long malformed = c.malformedPackets.sum();

    // Media keeps flowing while the garbage arrives, as it would in a real attack.
    Thread streamer = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        presenter.sendRtp(nextVideo(presenter, false));
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    streamer.start();
    Random random = new Random(SEED);
    try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      for (int i = 0; i < 3000; i++) {
        byte[] b = strangerGarbage(random, viewer.serverUfrag());
        stranger.send(new DatagramPacket(b, b.length, viewer.serverAddress()));
      }
    }
    for (int i = 0; i < 3000; i++) {
      viewer.sendRaw(peerGarbage(random, random.nextInt(4))); // spoofing the viewer's address would look the same to the SFU
    }
    for (int i = 0; i < 300; i++) { // a buggy peer: properly encrypted, but nonsense inside
      viewer.sendRtcp(malformedRtcp(random, viewer.rtcpSsrc()));
      presenter.sendRtcp(malformedRtcp(random, presenter.rtcpSsrc()));
    }
    streamer.interrupt();
    streamer.join();

    // A flood overflows socket buffers, so which datagrams were read is up to the kernel. Each kind is counted:
    // resend one more of it until its counter moves.
    await("RTP/RTCP-looking garbage counts as SRTP failures", Duration.ofSeconds(5), () -> {
      viewer.sendRaw(peerGarbage(random, 0));
      return c.srtpFailures.sum() > srtpFailures;
    });
    await("datagrams of no known kind count as unknown", Duration.ofSeconds(5), () -> {
      viewer.sendRaw(peerGarbage(random, 3));
      return c.unknownPackets.sum() > unknown;
    });
    await("malformed RTCP under valid SRTCP counts as malformed", Duration.ofSeconds(5), () -> {
      viewer.sendRtcp(malformedRtcp(random, viewer.rtcpSsrc()));
      return c.malformedPackets.sum() > malformed;
    });

    // Once one packet sent after the garbage arrives, the SFU has worked through all of it (one FIFO path);
    // from then on nothing may be lost.
    await("media flows again after the garbage", Duration.ofSeconds(5), () -> {
      byte[] sent = nextVideo(presenter, false);
      presenter.sendRtp(sent);
      return arrives(viewer, RtpHeader.sequenceNumber(sent, 0));
    });
    for (int i = 0; i < 20; i++) {
      byte[] sent = nextVideo(presenter, false);
      presenter.sendRtp(sent);
      byte[] got = poll(viewer, 2000);
      assertNotNull(got, "packet " + i + " after the garbage");
      assertEquals(RtpHeader.sequenceNumber(sent, 0), RtpHeader.sequenceNumber(got, 0));
      assertArrayEquals(TestPackets.payload(sent), TestPackets.payload(got));
    }
    assertEquals(0, viewer.srtpFailures(), "no garbage was forwarded");
    assertTrue(server.live(s.id()));
    assertEquals(1, server.viewers(s.id()));

    // The shared port still admits new peers: STUN garbage did not break ICE for everyone else.
    TestPeer late = track(server.subscribe(s));
    await("the late viewer is connected", Duration.ofSeconds(5), () -> server.viewers(s.id()) == 2);
    presenter.sendRtp(nextVideo(presenter, true));
    assertNotNull(poll(late, 2000), "the late viewer starts at the next keyframe");
  }

  /**
   * RFC 6347 §4.1.2.7: invalid DTLS records SHOULD be silently discarded. One forged record, in the current
   * epoch but too short to hold the AEAD nonce and tag, costs nothing to send to a peer's address.
   */
  @Test
  @Timeout(20)
  void aForgedShortDtlsRecordFromAPeersAddressDoesNotEndItsSession() throws Exception {
    TestServer.Session s = server.createSession();
    TestPeer presenter = track(server.publish(s));
    TestPeer viewer = track(server.subscribe(s));
    List<String> removals = new CopyOnWriteArrayList<>();
    server.server().sessions().find(s.id()).orElseThrow().media().addListener(new SessionListener() {
      @Override
      public void onPresenterLive(boolean live) {}

      @Override
      public void onViewerCount(int connectedViewers) {}

      @Override
      public void onPeerRemoved(String peerId, String reason) {
        removals.add(reason);
      }
    });
    await("the session is live", Duration.ofSeconds(5), () -> server.live(s.id()) && server.viewers(s.id()) == 1);

    // application_data, DTLS 1.2, epoch 1 (the only one after the handshake), sequence 99, 5 bytes of fragment.
    viewer.sendRaw(new byte[] {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 99, 0, 5, 1, 2, 3, 4, 5});

    presenter.sendRtp(nextVideo(presenter, true));
    assertNotNull(poll(viewer, 2000), "media still reaches the viewer");
    long watchUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < watchUntil) { // the DTLS thread reacts within milliseconds when it does
      assertEquals(List.of(), removals, "nobody was removed");
      Thread.sleep(20);
    }
    assertEquals(1, server.viewers(s.id()));
  }

  private static byte[] poll(TestPeer viewer, long timeoutMs) {
    try {
      return viewer.receivedRtp().poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether the packet with this sequence number arrives within 200 ms; earlier packets are discarded. */
  private static boolean arrives(TestPeer viewer, int sequenceNumber) {
    for (byte[] got; (got = poll(viewer, 200)) != null; ) {
      if (RtpHeader.sequenceNumber(got, 0) == sequenceNumber) {
        return true;
      }
    }
    return false;
  }

  /** Any length 0..1500, first byte from every demultiplexing range (RFC 7983) and beyond. */
  private static byte[] strangerGarbage(Random r, String serverUfrag) {
    int kind = r.nextInt(5);
    if (kind == 0) {
      return stunLike(r, serverUfrag);
    }
    byte[] b = new byte[r.nextInt(1501)];
    r.nextBytes(b);
    if (b.length > 0) {
      b[0] = (byte) switch (kind) {
        case 1 -> r.nextInt(4); // STUN range, usually not STUN
        case 2 -> 20 + r.nextInt(44); // DTLS range
        case 3 -> 128 + r.nextInt(64); // RTP/RTCP range
        default -> r.nextInt(256);
      };
    }
    return b;
  }

  /** Well-formed STUN header naming the SFU's ufrag, with random attributes and a wrong MESSAGE-INTEGRITY. */
  private static byte[] stunLike(Random r, String serverUfrag) {
    ByteBuffer body = ByteBuffer.allocate(400);
    byte[] user = (serverUfrag + ":" + Long.toHexString(r.nextLong())).getBytes(StandardCharsets.UTF_8);
    body.putShort((short) StunMessages.USERNAME).putShort((short) user.length).put(user);
    while (body.position() % 4 != 0) {
      body.put((byte) 0);
    }
    for (int i = r.nextInt(4); i > 0; i--) {
      byte[] v = new byte[r.nextInt(40)];
      r.nextBytes(v);
      body.putShort((short) r.nextInt(0x10000)).putShort((short) (r.nextInt(8) == 0 ? 999 : v.length)).put(v);
      while (body.position() % 4 != 0) {
        body.put((byte) 0);
      }
    }
    byte[] mac = new byte[20];
    r.nextBytes(mac);
    body.putShort((short) StunMessages.MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
    int[] types = {StunMessages.BINDING_REQUEST, 0x0011, StunMessages.BINDING_SUCCESS, StunMessages.BINDING_ERROR,
        r.nextInt(0x4000)};
    byte[] txid = new byte[12];
    r.nextBytes(txid);
    ByteBuffer m = ByteBuffer.allocate(20 + body.position());
    m.putShort((short) types[r.nextInt(types.length)]).putShort((short) body.position())
        .putInt(StunMessages.MAGIC_COOKIE).put(txid).put(body.array(), 0, body.position());
    return m.array();
  }

  /** RTCP header with a length field that does not fit the datagram, then random bytes. */
  private static byte[] malformedRtcp(Random r, long senderSsrc) {
    byte[] b = new byte[8 + 4 * r.nextInt(100)];
    r.nextBytes(b);
    b[0] = (byte) (0x80 | r.nextInt(32));
    b[1] = (byte) (200 + r.nextInt(7)); // SR, RR, SDES, BYE, APP, RTPFB, PSFB
    int words = b.length / 4 - 1;
    Bytes.writeUint16(b, 2, words + 1 + r.nextInt(1000)); // claims more than there is
    Bytes.writeUint32(b, 4, senderSsrc);
    return b;
  }

  /**
   * From an established peer's address. Kind 0: RTP-looking (V=2, anything else random); 1: RTCP-looking; 2: a
   * plausible fixed RTP header; 3: first byte outside every range RFC 7983 knows.
   */
  private static byte[] peerGarbage(Random r, int kind) {
    byte[] b = new byte[2 + r.nextInt(1499)];
    r.nextBytes(b);
    if (kind == 3) {
      b[0] = (byte) (64 + r.nextInt(64)); // neither STUN, DTLS nor RTP
    } else {
      b[0] = (byte) (0x80 | r.nextInt(0x40)); // V=2, any P/X/CC
      if (kind == 1) {
        b[1] = (byte) (192 + r.nextInt(32)); // RTCP packet types
      } else if (kind == 2 && b.length >= 12) {
        b[0] = (byte) 0x80; // plausible fixed header: no CSRC, no extension
      }
    }
    return b;
  }
}
