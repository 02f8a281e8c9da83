package io.projector.sfu.session;

import io.projector.sfu.dtls.DtlsRole;
import io.projector.sfu.dtls.DtlsTransport;
import io.projector.sfu.dtls.Fingerprint;
import io.projector.sfu.dtls.FingerprintMismatchException;
import io.projector.sfu.forward.LayerSelector;
import io.projector.sfu.ice.IceTransport;
import io.projector.sfu.sdp.Answer;
import io.projector.sfu.sdp.AnswerBuilder;
import io.projector.sfu.sdp.BitrateHints;
import io.projector.sfu.sdp.Candidate;
import io.projector.sfu.sdp.LocalParameters;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.NegotiatedMedia;
import io.projector.sfu.sdp.PeerRole;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns an SDP offer into a running peer: ICE agent, DTLS server, answer. Runs on the caller's thread (a
 * blocking-allowed HTTP worker); everything that touches media state is handed to the session's worker.
 */
final class Negotiator {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Negotiator() {}

  static PeerAnswer negotiate(MediaSession session, SessionContext ctx, Peer.Role role, String offerSdp,
      ViewerPreference preference)
      throws SdpException, IOException {
    SessionDescription offer = SdpParser.parse(offerSdp);
    Fingerprint remoteFingerprint;
    try {
      String fp = offer.effectiveFingerprint();
      if (fp == null) {
        throw new SdpException("offer has no a=fingerprint");
      }
      remoteFingerprint = Fingerprint.parse(fp);
    } catch (IllegalArgumentException e) {
      throw new SdpException("offer has an unusable a=fingerprint: " + e.getMessage());
    }
    AtomicReference<Peer> ref = new AtomicReference<>();
    IceTransport ice = new IceTransport(ctx.mediaPort(), (buf, off, len, nowMs) -> {
      Peer p = ref.get();
      if (p != null) {
        session.onDatagram(p, buf, off, len, nowMs);
      }
    });
    try {
      LocalParameters local = new LocalParameters(ice.localUfrag(), ice.localPassword(),
          ctx.certificate().fingerprint().toSdpValue(), candidates(ice, ctx), Long.toString(RANDOM.nextLong()
              & Long.MAX_VALUE), "projector", "projector");
      Answer answer = AnswerBuilder.answer(offer, role == Peer.Role.PRESENTER ? PeerRole.PRESENTER : PeerRole.VIEWER,
          local, kind -> kind == MediaKind.VIDEO ? session.videoSsrc() : session.audioSsrc());
      String answerSdp = answer.sdp();
      if (role == Peer.Role.PRESENTER) {
        NegotiatedMedia video = answer.media().stream()
            .filter(m -> m.accepted() && m.kind() == MediaKind.VIDEO).findFirst().orElse(null);
        answerSdp = BitrateHints.withStartBitrate(answerSdp, video, ctx.config().startBitrateKbps());
      }
      DtlsTransport dtls = new DtlsTransport(DtlsRole.SERVER, ctx.certificate(), remoteFingerprint, ice::sendDtls);
      Peer peer = new Peer(newPeerId(), role, ice, ctx.sendLanes().bind(ice), dtls, answer.media(), System.currentTimeMillis(),
          RANDOM.nextInt() & 0xffffffffL);
      configure(peer, ctx.config().keyframeMinIntervalMs(), preference);
      session.addPeer(peer);
      ref.set(peer);
      ice.onStateChange(state -> {
        if (state == IceTransport.IceState.CONNECTED && peer.iceConnectedMs == 0) {
          peer.iceConnectedMs = System.currentTimeMillis();
        }
      });
      ice.start(offer.effectiveIceUfrag());
      dtls.onClosed(() -> session.onPeerFailed(peer, "dtls_closed"));
      dtls.start(ctx.dtlsExecutor()).whenComplete((keys, error) -> {
        if (error == null) {
          session.onSecure(peer, keys);
          return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof FingerprintMismatchException) {
          ctx.counters().dtlsFingerprintMismatches.increment();
          session.onPeerFailed(peer, "dtls_fingerprint_mismatch");
        } else {
          ctx.counters().dtlsFailures.increment();
          session.onPeerFailed(peer, "dtls_failed");
        }
      });
      return new PeerAnswer(peer.id, answerSdp);
    } catch (SdpException | RuntimeException e) {
      ice.close();
      throw e;
    }
  }

  /** Prepares a new peer for the packet path from what it negotiated: a presenter's streams, a viewer's layers. */
  static void configure(Peer peer, long keyframeMinIntervalMs, ViewerPreference preference) {
    if (peer.role != Peer.Role.PRESENTER) {
      peer.selector = new LayerSelector();
      if (preference.maxLayer() >= 0) {
        peer.selector.setMaxLayer(preference.maxLayer());
      }
      if (preference.maxHeightPx() > 0) {
        peer.selector.setMaxHeightPx(preference.maxHeightPx());
      }
      // Temporal layers are not thinned yet: dropping them would leave sequence-number gaps viewers NACK.
      peer.selector.setDropTemporalLayers(false);
      return;
    }
    for (NegotiatedMedia m : peer.media) {
      if (!m.accepted() || (m.kind() != MediaKind.AUDIO && m.kind() != MediaKind.VIDEO)) {
        continue;
      }
      int transportCcId = m.extensionId(AnswerBuilder.TRANSPORT_CC);
      if (transportCcId > 0) { // BUNDLE: one id for the whole transport
        peer.transportCcExtId = transportCcId;
        peer.transportCc = new io.projector.sfu.bwe.TransportCcRecorder();
      }
      if (m.kind() == MediaKind.VIDEO) {
        peer.video = new PresenterVideo(ridsLowestFirst(m), m.extensionId(AnswerBuilder.RID),
            m.extensionId(AnswerBuilder.REPAIRED_RID), keyframeMinIntervalMs);
      }
      for (var c : m.codecs()) {
        peer.kindByPayloadType[c.payloadType()] = (byte) (m.kind() == MediaKind.VIDEO ? 2 : 1);
        peer.h264ByPayloadType[c.payloadType()] = c.isH264();
        if (c.rtxPayloadType() >= 0) {
          peer.rtxApt[c.rtxPayloadType()] = (byte) c.payloadType();
        }
      }
    }
  }

  /**
   * The presenter's rids, lowest resolution first. Browsers list encodings in the order the page gave them, and
   * our presenter page gives them lowest first (q, h, f), as most WHIP senders do.
   */
  private static List<String> ridsLowestFirst(NegotiatedMedia m) {
    return m.rids();
  }

  private static List<Candidate> candidates(IceTransport ice, SessionContext ctx) {
    List<Candidate> out = new ArrayList<>();
    int port = ctx.mediaPort().port();
    int foundation = 100;
    long publicPriority = (126L << 24) | (65535L << 8) | 255;
    for (String publicAddress : ctx.config().publicAddresses()) {
      out.add(new Candidate(Integer.toString(foundation++), 1, "udp", publicPriority--, publicAddress, port, "host",
          null));
    }
    for (var c : ice.localCandidates()) {
      // Bound on the announced address itself (no NAT in front): announce it once, not twice.
      if (ctx.config().publicAddresses().contains(c.address())) {
        continue;
      }
      out.add(new Candidate(c.foundation(), 1, "udp", c.priority(), c.address(), c.port(), c.type(), null));
    }
    return out;
  }

  static String newPeerId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
