package io.projector.sfu.session;

import io.projector.sfu.MediaCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one screen-share session: one presenter, any number of viewers. Every packet the presenter
 * sends is forwarded to each connected viewer, rewritten to what that viewer negotiated and encrypted with that
 * viewer's SRTP keys. All state here is owned by the session's {@link SessionWorker} thread.
 */
public final class MediaSession implements SessionWorker.Handler {
  static final Logger LOG = LoggerFactory.getLogger(MediaSession.class);
  private static final long EXPIRY_CHECK_INTERVAL_MS = 250;

  private final String id;
  private final SessionContext ctx;
  private final MediaCounters counters;
  private final SessionWorker worker;
  private final Forwarder forwarder;
  private final java.util.Set<String> peerIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

  // Worker-owned state.
  private final SessionPeers peers = new SessionPeers();
  private int reportedViewerCount = -1;
  private boolean reportedLive;
  private long lastExpiryCheckMs;
  private boolean closed;

  private final long videoSsrc;
  private final long audioSsrc;

  // Snapshot for other threads.
  private volatile boolean live;
  private volatile int connectedViewers;
  private volatile List<String> layerAdvice;

  MediaSession(String id, SessionContext ctx) {
    this.id = id;
    this.ctx = ctx;
    this.counters = ctx.counters();
    java.security.SecureRandom random = new java.security.SecureRandom();
    this.videoSsrc = random.nextInt() & 0xffffffffL;
    // Video + 1 is video's RTX SSRC (AnswerBuilder.rtxSsrc); audio stays clear of both.
    this.audioSsrc = (videoSsrc + 2 + (random.nextInt() & 0xffff)) & 0xffffffffL;
    this.forwarder = new Forwarder(peers, ctx.config(), counters);
    this.worker = new SessionWorker("session-" + id.substring(0, Math.min(8, id.length())), this, counters);
    worker.start();
  }

  public String id() {
    return id;
  }

  public boolean presenterLive() {
    return live;
  }

  public int viewerCount() {
    return connectedViewers;
  }

  /**
   * The simulcast layers (rids) the presenter is advised to send (see {@link SessionListener#onLayerAdvice}), or
   * null when there is no such advice (no presenter, or no layer it could pause).
   */
  public List<String> layerAdvice() {
    return layerAdvice;
  }

  public void addListener(SessionListener l) {
    listeners.add(l);
  }

  /** The SSRC every viewer receives the presenter's video with (stable across presenter reconnects). */
  long videoSsrc() {
    return videoSsrc;
  }

  long audioSsrc() {
    return audioSsrc;
  }

  /**
   * Negotiates a presenter (WHIP). Blocking-safe thread only.
   *
   * @throws io.projector.sfu.sdp.SdpException when the offer cannot be served (the message says why)
   */
  public PeerAnswer publish(String offerSdp) throws io.projector.sfu.sdp.SdpException, java.io.IOException {
    return Negotiator.negotiate(this, ctx, Peer.Role.PRESENTER, offerSdp, ViewerPreference.NONE);
  }

  /** Negotiates a viewer (WHEP). Blocking-safe thread only. */
  public PeerAnswer subscribe(String offerSdp) throws io.projector.sfu.sdp.SdpException, java.io.IOException {
    return subscribe(offerSdp, ViewerPreference.NONE);
  }

  /** Negotiates a viewer (WHEP) that asked for at most some layer or height (e.g. a preview). */
  public PeerAnswer subscribe(String offerSdp, ViewerPreference preference)
      throws io.projector.sfu.sdp.SdpException, java.io.IOException {
    return Negotiator.negotiate(this, ctx, Peer.Role.VIEWER, offerSdp, preference);
  }

  /**
   * Takes trickled remote candidates for a peer (RFC 8840); false when no such peer exists. Nothing to do with them:
   * as an ICE-lite agent the SFU learns the browser's addresses from its checks (see IceTransport).
   */
  public boolean trickle(String peerId, io.projector.sfu.sdp.IceFragment fragment) {
    return hasPeer(peerId);
  }

  /** Adds a negotiated peer (from the negotiation thread). A new presenter replaces the old one. */
  void addPeer(Peer peer) {
    peerIds.add(peer.id);
    worker.execute(() -> {
      if (closed) {
        peer.close();
        return;
      }
      if (peer.role == Peer.Role.PRESENTER) {
        if (peers.presenter != null) {
          removePeer(peers.presenter, "replaced");
        }
        peers.presenter = peer;
        for (Peer v : peers.viewers) {
          ViewerSetup.configure(v, peer, videoSsrc, audioSsrc);
        }
      } else {
        ViewerSetup.configure(peer, peers.presenter, videoSsrc, audioSsrc);
        peers.viewers.add(peer);
        // Have a keyframe ready while ICE and DTLS run: by the time the viewer is connected it is in the
        // cache and is replayed at once (catchUp), instead of being requested only then.
        forwarder.prepareJoin(peer, System.currentTimeMillis());
      }
    });
  }

  /** Called on the DTLS thread when keys are ready. */
  void onSecure(Peer peer, io.projector.sfu.dtls.SrtpKeys keys) {
    worker.execute(() -> {
      if (peer.state != Peer.State.CONNECTING) {
        return;
      }
      peer.secure(io.projector.sfu.srtp.SrtpPair.from(keys));
      long now = System.currentTimeMillis();
      String firstPicture = "";
      if (peer.role == Peer.Role.VIEWER) {
        ViewerRepairs.CatchUp replay = forwarder.catchUp(peer, now);
        if (replay != null) {
          firstPicture = "; first picture: " + replay.packets() + " packets replayed from layer " + replay.layer()
              + "'s keyframe of " + replay.keyframeAgeMs() + " ms ago";
        } else {
          forwarder.requestKeyframeFor(peer, now);
          firstPicture = peers.presenter == null || peers.presenter.video == null
              ? "; first picture: no presenter video yet" : "; first picture: no recent keyframe cached, one asked for";
        }
      }
      LOG.info("session {}: {} {} connected via {} in {} ms (ICE {} ms; DTLS {}){}", shortId(),
          peer.role.name().toLowerCase(), peer.id, peer.ice.selectedRemote(), now - peer.createdMs,
          peer.iceConnectedMs == 0 ? -1 : peer.iceConnectedMs - peer.createdMs, peer.dtls.handshakeTiming(),
          firstPicture);
      publishState();
    });
  }

  /**
   * A viewer is about to join (its page looked the session up): a keyframe is made ready for it in advance, so
   * it is in the packet cache by the time the viewer connects (at most one request for joins close together).
   */
  public void expectViewer() {
    worker.execute(() -> {
      if (!closed) {
        forwarder.prepareJoin(null, System.currentTimeMillis());
      }
    });
  }

  /** Removes a peer by id (WHIP/WHEP DELETE). */
  public void removePeer(String peerId, String reason) {
    peerIds.remove(peerId); // at once: a second DELETE or a late PATCH must already see it gone
    worker.execute(() -> {
      Peer p = find(peerId);
      if (p != null) {
        removePeer(p, reason);
      }
    });
  }

  /** Runs a command on the worker with the peer, if it still exists (e.g. trickled candidates). */
  void withPeer(String peerId, java.util.function.Consumer<Peer> action) {
    worker.execute(() -> {
      Peer p = find(peerId);
      if (p != null) {
        action.accept(p);
      }
    });
  }

  /** Whether the peer exists (any thread; a peer removed a moment later simply ignores what follows). */
  public boolean hasPeer(String peerId) {
    return peerIds.contains(peerId);
  }

  /** Ends the session: every peer is closed. */
  public void close() {
    worker.execute(() -> {
      if (closed) {
        return;
      }
      if (peers.presenter != null) {
        removePeer(peers.presenter, "session_ended");
      }
      for (Peer v : new ArrayList<>(peers.viewers)) {
        removePeer(v, "session_ended");
      }
      closed = true;
      worker.stop();
    });
  }

  private Peer find(String peerId) {
    if (peers.presenter != null && peers.presenter.id.equals(peerId)) {
      return peers.presenter;
    }
    for (Peer v : peers.viewers) {
      if (v.id.equals(peerId)) {
        return v;
      }
    }
    return null;
  }

  private void removePeer(Peer p, String reason) {
    if (p.state == Peer.State.CLOSED) {
      return;
    }
    p.close();
    peerIds.remove(p.id);
    if (p == peers.presenter) {
      peers.presenter = null;
      layerAdvice = null;
    } else {
      peers.viewers.remove(p);
    }
    LOG.info("session {}: {} {} removed ({})", shortId(), p.role.name().toLowerCase(), p.id, reason);
    for (SessionListener l : listeners) {
      l.onPeerRemoved(p.id, reason);
    }
    publishState();
  }

  private void publishState() {
    boolean nowLive = peers.presenter != null && peers.presenter.connected();
    int count = 0;
    for (Peer v : peers.viewers) {
      if (v.connected()) {
        count++;
      }
    }
    live = nowLive;
    connectedViewers = count;
    if (nowLive != reportedLive) {
      reportedLive = nowLive;
      listeners.forEach(l -> l.onPresenterLive(nowLive));
    }
    if (count != reportedViewerCount) {
      reportedViewerCount = count;
      final int c = count;
      listeners.forEach(l -> l.onViewerCount(c));
    }
  }

  // ---- packets --------------------------------------------------------------------------------------------

  /** Network thread: a datagram for {@code peer}. */
  void onDatagram(Peer peer, byte[] buf, int off, int len, long nowMs) {
    peer.lastReceivedMs = nowMs;
    switch (io.projector.sfu.rtp.PacketType.of(buf, off, len)) {
      case DTLS -> peer.dtls.onPacket(buf, off, len);
      case RTP -> worker.offerPacket(peer, false, buf, off, len, nowMs);
      case RTCP -> worker.offerPacket(peer, true, buf, off, len, nowMs);
      default -> counters.unknownPackets.increment();
    }
  }

  @Override
  public void handlePacket(InboundPacket p, long nowMs) {
    forwarder.handlePacket(p, nowMs);
  }

  @Override
  public void tick(long nowMs) {
    forwarder.tick(nowMs);
    List<String> advice = forwarder.takeLayerAdvice();
    if (advice != null) {
      layerAdvice = advice;
      LOG.info("session {}: presenter advised to send layers {}", shortId(), advice);
      listeners.forEach(l -> l.onLayerAdvice(advice));
    }
    if (nowMs - lastExpiryCheckMs >= EXPIRY_CHECK_INTERVAL_MS) {
      lastExpiryCheckMs = nowMs;
      expirePeers(nowMs);
    }
  }

  private void expirePeers(long nowMs) {
    List<Peer> all = new ArrayList<>(peers.viewers.size() + 1);
    if (peers.presenter != null) {
      all.add(peers.presenter);
    }
    all.addAll(peers.viewers);
    for (Peer p : all) {
      if (p.connected() && nowMs - p.lastReceivedMs > ctx.config().peerTimeoutMs()) {
        counters.peersTimedOut.increment();
        removePeer(p, "timeout");
      } else if (p.state == Peer.State.CONNECTING && nowMs - p.createdMs > ctx.config().connectTimeoutMs()) {
        counters.peersTimedOut.increment();
        if (p.iceConnectedMs == 0) {
          counters.iceFailures.increment(); // no authentic check from the browser ever reached us
        }
        removePeer(p, p.iceConnectedMs == 0 ? "ice_timeout" : "connect_timeout");
      }
    }
  }

  /** ICE or DTLS failed for a peer (any thread). */
  void onPeerFailed(Peer peer, String reason) {
    worker.execute(() -> removePeer(peer, reason));
  }

  String shortId() {
    return id.substring(0, Math.min(8, id.length()));
  }
}
