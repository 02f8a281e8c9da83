package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.dtls.SrtpKeys;
import io.projector.sfu.dtls.SrtpProfile;
import io.projector.sfu.ice.DatagramSender;
import io.projector.sfu.sdp.AnswerBuilder;
import io.projector.sfu.sdp.Candidate;
import io.projector.sfu.sdp.LocalParameters;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.PeerRole;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A session's packet path as the worker thread runs it, without sockets: a presenter and viewers negotiated from
 * Chrome's offers (test resources sdp/chrome-presenter.sdp and sdp/chrome-viewer.sdp) and set up by the same code
 * as in production, real SRTP keys per peer, and the caller's {@link DatagramSender}s in place of ICE. Packets come
 * from a {@link ChromeVideoSource} one simulated millisecond apart; the worker's tick runs every
 * {@value SessionWorker#TICK_INTERVAL_MS} ms of that clock.
 */
final class ForwardingScenario {
  static final long VIDEO_SSRC = 0x11223344L;
  static final long AUDIO_SSRC = 0x55667788L;
  private static final LocalParameters LOCAL = new LocalParameters("sfuA1b2", "sfuPassword0123456789abcd",
      "sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9",
      List.of(new Candidate("1", 1, "udp", 2130706431L, "192.0.2.10", 10000, "host", null)), "4242",
      "projector-sfu", "projector");

  final MediaCounters counters = new MediaCounters();
  final SessionPeers peers = new SessionPeers();
  final Forwarder forwarder;
  final ChromeVideoSource browser;
  private final InboundPacket packet = new InboundPacket();
  private long nowMs = 1_000_000;

  /**
   * @param presenterSender receives what the SFU sends the presenter (RTCP: feedback, reports, keyframe requests)
   * @param viewerSenders   one per viewer, receiving what it is forwarded
   */
  ForwardingScenario(SrtpProfile profile, DatagramSender presenterSender, List<DatagramSender> viewerSenders) {
    MediaConfig config = MediaConfig.defaults();
    forwarder = new Forwarder(peers, config, counters);
    Peer presenter = peer(Peer.Role.PRESENTER, "chrome-presenter.sdp", presenterSender, config);
    presenter.secure(SrtpPair.from(keys(profile, 1)));
    SrtpKeys browserSide = keys(profile, 1);
    browser = new ChromeVideoSource(new SrtpEncoder(profile, browserSide.remoteKey(), browserSide.remoteSalt()));
    peers.presenter = presenter;
    for (int i = 0; i < viewerSenders.size(); i++) {
      Peer viewer = peer(Peer.Role.VIEWER, "chrome-viewer.sdp", viewerSenders.get(i), config);
      ViewerSetup.configure(viewer, presenter, VIDEO_SSRC, AUDIO_SSRC);
      viewer.secure(SrtpPair.from(keys(profile, 100 + i)));
      peers.viewers.add(viewer);
    }
  }

  /** One packet from the presenter's browser through the forwarder, then the worker's tick when it is due. */
  void forwardNextPacket() {
    packet.length = browser.next(packet.buf);
    packet.peer = peers.presenter;
    packet.rtcp = false;
    packet.arrivalMs = nowMs;
    packet.arrivalNs = System.nanoTime(); // the forwarder compares it with System.nanoTime(), as in production
    forwarder.handlePacket(packet, nowMs);
    if (nowMs % SessionWorker.TICK_INTERVAL_MS == 0) {
      forwarder.tick(nowMs);
    }
    nowMs++;
  }

  /** The scenario's clock: the arrival time of the next packet. */
  long nowMs() {
    return nowMs;
  }

  /** Lets time pass with no packets (and no ticks). */
  void idle(long ms) {
    nowMs += ms;
  }

  Peer viewer(int i) {
    return peers.viewers.get(i);
  }

  /**
   * Keys of one peer's SRTP session: what the SFU protects with (local) and what the peer protects with (remote),
   * derived from the peer's number so that the test side can build the matching other end.
   */
  static SrtpKeys keys(SrtpProfile profile, int peerNumber) {
    return new SrtpKeys(profile, filled(profile.keyLength(), peerNumber, 1),
        filled(profile.saltLength(), peerNumber, 2), filled(profile.keyLength(), peerNumber, 3),
        filled(profile.saltLength(), peerNumber, 4));
  }

  private static byte[] filled(int length, int peerNumber, int role) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (peerNumber * 37 + role * 11 + i);
    }
    return b;
  }

  private static Peer peer(Peer.Role role, String sdpResource, DatagramSender sender, MediaConfig config) {
    try {
      PeerRole sdpRole = role == Peer.Role.PRESENTER ? PeerRole.PRESENTER : PeerRole.VIEWER;
      var answer = AnswerBuilder.answer(SdpParser.parse(load(sdpResource)), sdpRole, LOCAL,
          kind -> kind == MediaKind.VIDEO ? VIDEO_SSRC : AUDIO_SSRC);
      Peer p = new Peer(Negotiator.newPeerId(), role, null, sender, null, answer.media(), 0, 0x0badcafeL);
      Negotiator.configure(p, config.keyframeMinIntervalMs(), ViewerPreference.NONE);
      return p;
    } catch (SdpException e) {
      throw new IllegalStateException(sdpResource + " no longer negotiates: " + e.getMessage(), e);
    }
  }

  private static String load(String name) {
    try (InputStream in = ForwardingScenario.class.getResourceAsStream("/sdp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /sdp/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
