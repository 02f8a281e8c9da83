package io.projector.sfu.session;

import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.KeyframeRequester;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtcp.RtcpWriter;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.srtp.SrtpEncoder;
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
  /** When a viewer still waits for a keyframe this long after the last request, ask again. */
  static final long KEYFRAME_RETRY_MS = 1000;

  private final String id;
  private final SessionContext ctx;
  private final MediaCounters counters;
  private final SessionWorker worker;
  private final KeyframeRequester keyframes;
  private final java.util.Set<String> peerIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  private final byte[] scratch = new byte[InboundPacket.CAPACITY];

  // Worker-owned state.
  private Peer presenter;
  private final List<Peer> viewers = new ArrayList<>();
  private int reportedViewerCount = -1;
  private boolean reportedLive;
  private long lastReportMs;
  private long lastKeyframeRequestMs;
  private boolean closed;

  private final long videoSsrc;
  private final long audioSsrc;

  // Snapshot for other threads.
  private volatile boolean live;
  private volatile int connectedViewers;

  MediaSession(String id, SessionContext ctx) {
    this.id = id;
    this.ctx = ctx;
    this.counters = ctx.counters();
    java.security.SecureRandom random = new java.security.SecureRandom();
    this.videoSsrc = random.nextInt() & 0xffffffffL;
    this.audioSsrc = (videoSsrc + 1 + (random.nextInt() & 0xffff)) & 0xffffffffL;
    this.keyframes = new KeyframeRequester(ctx.config().keyframeMinIntervalMs());
    this.worker = new SessionWorker("session-" + id.substring(0, Math.min(8, id.length())), this,
        counters.droppedQueueFull);
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

  public void addListener(SessionListener l) {
    listeners.add(l);
  }

  SessionWorker worker() {
    return worker;
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
    return Negotiator.negotiate(this, ctx, Peer.Role.PRESENTER, offerSdp);
  }

  /** Negotiates a viewer (WHEP). Blocking-safe thread only. */
  public PeerAnswer subscribe(String offerSdp) throws io.projector.sfu.sdp.SdpException, java.io.IOException {
    return Negotiator.negotiate(this, ctx, Peer.Role.VIEWER, offerSdp);
  }

  /** Adds trickled remote candidates to a peer; false when no such peer exists. */
  public boolean trickle(String peerId, io.projector.sfu.sdp.IceFragment fragment) {
    if (!hasPeer(peerId)) {
      return false;
    }
    Negotiator.trickle(this, peerId, fragment);
    return true;
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
        if (presenter != null) {
          removePeer(presenter, "replaced");
        }
        presenter = peer;
        for (Peer v : viewers) {
          ViewerSetup.configure(v, peer, videoSsrc, audioSsrc);
        }
      } else {
        ViewerSetup.configure(peer, presenter, videoSsrc, audioSsrc);
        viewers.add(peer);
      }
    });
  }

  /** Called on the DTLS thread when keys are ready. */
  void onSecure(Peer peer, io.projector.sfu.dtls.SrtpKeys keys) {
    worker.execute(() -> {
      if (peer.state != Peer.State.CONNECTING) {
        return;
      }
      var pair = io.projector.sfu.srtp.SrtpPair.from(keys);
      peer.encoder = pair.encoder();
      peer.decoder = pair.decoder();
      peer.state = Peer.State.CONNECTED;
      long now = System.currentTimeMillis();
      LOG.info("session {}: {} {} connected via {} in {} ms (ICE {} ms)", shortId(), peer.role.name().toLowerCase(),
          peer.id, peer.ice.selectedRemote(), now - peer.createdMs,
          peer.iceConnectedMs == 0 ? -1 : peer.iceConnectedMs - peer.createdMs);
      if (peer.role == Peer.Role.VIEWER) {
        requestKeyframe(now);
      } else if (!viewers.isEmpty()) {
        requestKeyframe(now);
      }
      publishState();
    });
  }

  /** Removes a peer by id (WHIP/WHEP DELETE). */
  public void removePeer(String peerId, String reason) {
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
      if (presenter != null) {
        removePeer(presenter, "session_ended");
      }
      for (Peer v : new ArrayList<>(viewers)) {
        removePeer(v, "session_ended");
      }
      closed = true;
      worker.stop();
    });
  }

  private Peer find(String peerId) {
    if (presenter != null && presenter.id.equals(peerId)) {
      return presenter;
    }
    for (Peer v : viewers) {
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
    if (p == presenter) {
      presenter = null;
    } else {
      viewers.remove(p);
    }
    LOG.info("session {}: {} {} removed ({})", shortId(), p.role.name().toLowerCase(), p.id, reason);
    for (SessionListener l : listeners) {
      l.onPeerRemoved(p.id, reason);
    }
    publishState();
  }

  private void publishState() {
    boolean nowLive = presenter != null && presenter.connected();
    int count = 0;
    for (Peer v : viewers) {
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
    Peer peer = p.peer;
    if (!peer.connected() || peer.decoder == null) {
      counters.droppedNoRoute.increment();
      return;
    }
    if (p.rtcp) {
      int len = peer.decoder.unprotectRtcp(p.buf, 0, p.length);
      if (len < 0) {
        counters.srtpFailures.increment();
        return;
      }
      counters.rtcpPacketsIn.increment();
      RtcpHandler.handle(this, peer, p.buf, len, p.arrivalMs);
      return;
    }
    int len = peer.decoder.unprotectRtp(p.buf, 0, p.length);
    if (len < 0) {
      counters.srtpFailures.increment();
      return;
    }
    if (!RtpHeader.isValid(p.buf, 0, len)) {
      counters.malformedPackets.increment();
      return;
    }
    counters.rtpPacketsIn.increment();
    counters.rtpBytesIn.add(len);
    if (peer == presenter) {
      forwardFromPresenter(peer, p.buf, len, p.arrivalMs, nowMs);
    } else {
      counters.droppedNoRoute.increment(); // viewers send no media
    }
  }

  private void forwardFromPresenter(Peer from, byte[] buf, int len, long arrivalMs, long nowMs) {
    int pt = RtpHeader.payloadType(buf, 0);
    int kind = from.kindByPayloadType[pt];
    if (kind == 0) {
      counters.droppedNoRoute.increment();
      return;
    }
    long ssrc = RtpHeader.ssrc(buf, 0);
    ReceiveStatistics stats = from.inboundStats.get(ssrc);
    if (stats == null && from.inboundStats.size() < Peer.MAX_INBOUND_SSRCS) {
      stats = new ReceiveStatistics(ssrc, kind == 2 ? 90000 : 48000);
      from.inboundStats.put(ssrc, stats);
    }
    if (stats != null) {
      stats.onPacket(RtpHeader.sequenceNumber(buf, 0), RtpHeader.timestamp(buf, 0), arrivalMs);
    }
    boolean video = kind == 2;
    boolean keyframeStart = false;
    if (video) {
      from.videoSsrc = ssrc;
      int payloadOff = RtpHeader.headerLength(buf, 0, len);
      int payloadLen = RtpHeader.payloadLength(buf, 0, len);
      String codec = from.codecByPayloadType[pt];
      keyframeStart = "H264".equalsIgnoreCase(codec)
          ? Keyframes.isH264KeyframeStart(buf, payloadOff, payloadLen)
          : Keyframes.isVp8KeyframeStart(buf, payloadOff, payloadLen);
      if (keyframeStart) {
        keyframes.onKeyframe(nowMs);
      }
    }
    boolean needKeyframe = false;
    for (int i = 0, n = viewers.size(); i < n; i++) {
      Peer v = viewers.get(i);
      OutboundStream out = video ? v.videoOut : v.audioOut;
      if (!v.connected() || out == null || !out.accepts(pt)) {
        continue;
      }
      System.arraycopy(buf, 0, scratch, 0, len);
      if (!out.rewrite(scratch, 0, len, keyframeStart)) {
        needKeyframe |= out.awaitingKeyframe();
        continue;
      }
      int protectedLength = v.encoder.protectRtp(scratch, 0, len);
      if (v.ice.send(scratch, 0, protectedLength)) {
        counters.rtpPacketsOut.increment();
        counters.rtpBytesOut.add(protectedLength);
      }
    }
    if (needKeyframe && nowMs - lastKeyframeRequestMs >= KEYFRAME_RETRY_MS) {
      requestKeyframe(nowMs);
    }
  }

  /** A viewer (or a joining viewer) needs a keyframe: merged and throttled toward the presenter. */
  void requestKeyframe(long nowMs) {
    if (presenter == null || !presenter.connected() || presenter.videoSsrc < 0) {
      return; // asked again when the presenter's video starts (see tick)
    }
    if (keyframes.request(nowMs)) {
      sendPli(nowMs);
    }
  }

  private void sendPli(long nowMs) {
    Peer p = presenter;
    int len = RtcpWriter.writePli(scratch, 0, p.rtcpSenderSsrc, p.videoSsrc);
    sendRtcp(p, len);
    lastKeyframeRequestMs = nowMs;
    counters.keyframeRequestsSent.increment();
  }

  /** Protects and sends the RTCP packet in {@link #scratch}[0, len). */
  void sendRtcp(Peer p, int len) {
    int protectedLength = p.encoder.protectRtcp(scratch, 0, len);
    if (p.ice.send(scratch, 0, protectedLength)) {
      counters.rtcpPacketsOut.increment();
    }
  }

  byte[] scratch() {
    return scratch;
  }

  List<Peer> viewers() {
    return viewers;
  }

  Peer presenter() {
    return presenter;
  }

  MediaCounters counters() {
    return counters;
  }

  @Override
  public void tick(long nowMs) {
    if (keyframes.poll(nowMs) && presenter != null && presenter.connected() && presenter.videoSsrc >= 0) {
      sendPli(nowMs);
    }
    if (presenter != null && presenter.connected() && nowMs - lastReportMs >= ctx.config().receiverReportIntervalMs()) {
      lastReportMs = nowMs;
      sendReceiverReport(presenter, nowMs);
    }
    if (presenter != null && presenter.connected() && nowMs - lastKeyframeRequestMs >= KEYFRAME_RETRY_MS) {
      for (Peer v : viewers) {
        if (v.connected() && v.videoOut != null && v.videoOut.awaitingKeyframe()) {
          requestKeyframe(nowMs);
          break;
        }
      }
    }
    expirePeers(nowMs);
  }

  private void sendReceiverReport(Peer p, long nowMs) {
    int blocks = 0;
    for (ReceiveStatistics s : p.inboundStats.values()) {
      if (s.hasPackets() && blocks < 31) {
        blocks++;
      }
    }
    if (blocks == 0) {
      return;
    }
    int pos = RtcpWriter.writeReceiverReportHeader(scratch, 0, p.rtcpSenderSsrc, blocks);
    int written = 0;
    for (ReceiveStatistics s : p.inboundStats.values()) {
      if (s.hasPackets() && written < blocks) {
        pos += s.writeReportBlock(scratch, pos, nowMs);
        written++;
      }
    }
    sendRtcp(p, pos);
  }

  private void expirePeers(long nowMs) {
    List<Peer> all = new ArrayList<>(viewers.size() + 1);
    if (presenter != null) {
      all.add(presenter);
    }
    all.addAll(viewers);
    for (Peer p : all) {
      if (p.connected() && nowMs - p.lastReceivedMs > ctx.config().peerTimeoutMs()) {
        counters.peersTimedOut.increment();
        removePeer(p, "timeout");
      } else if (p.state == Peer.State.CONNECTING && nowMs - p.createdMs > ctx.config().connectTimeoutMs()) {
        counters.peersTimedOut.increment();
        removePeer(p, "connect_timeout");
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
