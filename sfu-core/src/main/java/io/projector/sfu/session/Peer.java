package io.projector.sfu.session;

import io.projector.sfu.bwe.SendSideEstimator;
import io.projector.sfu.bwe.TransportCcRecorder;
import io.projector.sfu.dtls.DtlsTransport;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.LayerSelector;
import io.projector.sfu.forward.Retransmitter;
import io.projector.sfu.forward.ViewerPacketWriter;
import io.projector.sfu.forward.Vp8Rewriter;
import io.projector.sfu.ice.DatagramSender;
import io.projector.sfu.ice.IceTransport;
import io.projector.sfu.sdp.NegotiatedMedia;
import io.projector.sfu.srtp.SrtpDecoder;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import java.util.List;

/**
 * One peer connection of a session: the presenter or a viewer. Fields other than the volatile ones and the
 * transports are owned by the session's worker thread.
 */
final class Peer {
  enum Role { PRESENTER, VIEWER }

  enum State { CONNECTING, CONNECTED, CLOSED }

  final String id;
  final Role role;
  final IceTransport ice;
  /** Where the packet path sends this peer's datagrams: its ICE transport (a stand-in in tests). */
  final DatagramSender sender;
  final DtlsTransport dtls;
  final List<NegotiatedMedia> media;
  final long createdMs;
  /** Our SSRC in RTCP we send to this peer. */
  final long rtcpSenderSsrc;

  volatile long lastReceivedMs;
  volatile long iceConnectedMs;
  State state = State.CONNECTING;
  SrtpEncoder encoder;
  SrtpDecoder decoder;
  /** Viewer only: rewrites, numbers and protects what this viewer is sent (with {@link #encoder}). */
  ViewerPacketWriter writer;

  /** Presenter only: payload type to media kind (0 = unknown, 1 = audio, 2 = video) and codec name. */
  final byte[] kindByPayloadType = new byte[128];
  final boolean[] h264ByPayloadType = new boolean[128];
  /** Presenter only: RTX payload type to the payload type it repairs (-1 = not RTX). */
  final byte[] rtxApt = new byte[128];
  final InboundStreams inboundStats = new InboundStreams();
  /** Presenter only: its video layers (one, or the simulcast layers) with their caches and loss tracking. */
  PresenterVideo video;
  /** Presenter only: arrivals of transport-wide sequence numbers, for the feedback Chrome's encoder rate needs. */
  TransportCcRecorder transportCc;
  int transportCcExtId = -1;

  /** Viewer only. */
  OutboundStream videoOut;
  OutboundStream audioOut;
  Retransmitter retransmitter;
  /** Viewer only: continuous VP8 picture ids across sources, and the simulcast layer choice. */
  final Vp8Rewriter vp8 = new Vp8Rewriter();
  LayerSelector selector;
  final ViewerBandwidth bandwidth = new ViewerBandwidth();
  /** Viewer only: what the path to this viewer carries, from its transport-cc feedback (and REMB). */
  SendSideEstimator bwe;

  Peer(String id, Role role, IceTransport ice, DatagramSender sender, DtlsTransport dtls, List<NegotiatedMedia> media,
      long nowMs, long rtcpSenderSsrc) {
    this.id = id;
    this.role = role;
    this.ice = ice;
    this.sender = sender;
    this.dtls = dtls;
    this.media = media;
    this.createdMs = nowMs;
    this.lastReceivedMs = nowMs;
    this.rtcpSenderSsrc = rtcpSenderSsrc;
    java.util.Arrays.fill(rtxApt, (byte) -1);
  }

  /** DTLS is done: the SRTP keys are in place and the peer is connected. Worker thread. */
  void secure(SrtpPair keys) {
    encoder = keys.encoder();
    decoder = keys.decoder();
    writer = new ViewerPacketWriter(encoder);
    state = State.CONNECTED;
  }

  boolean connected() {
    return state == State.CONNECTED;
  }

  void close() {
    state = State.CLOSED;
    dtls.close();
    ice.close();
  }
}
