package io.projector.sfu.session;

import io.projector.sfu.bwe.SendSideEstimator;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.Retransmitter;
import io.projector.sfu.forward.StreamMapping;
import io.projector.sfu.rtp.ExtensionCopy;
import io.projector.sfu.sdp.AnswerBuilder;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.NegotiatedMedia;

/** Prepares a viewer's outbound streams from what it and the current presenter negotiated. Worker thread. */
final class ViewerSetup {
  private ViewerSetup() {}

  /**
   * What viewers are asked for with the playout-delay extension: no added delay. The browser then renders each
   * frame as soon as it is decoded, as in a direct call; 0..0 is also what Chrome uses for cloud gaming.
   */
  static final long VIEWER_INITIAL_ESTIMATE_BPS = 5_000_000;
  static final int PLAYOUT_DELAY_MIN_MS = 0;
  static final int PLAYOUT_DELAY_MAX_MS = 0;

  static void configure(Peer viewer, Peer presenter, long videoSsrc, long audioSsrc) {
    NegotiatedMedia viewerVideo = find(viewer, MediaKind.VIDEO);
    NegotiatedMedia viewerAudio = find(viewer, MediaKind.AUDIO);
    if (viewerVideo != null && viewer.videoOut == null) {
      viewer.videoOut = new OutboundStream(videoSsrc, true);
      int playoutDelayId = viewerVideo.extensionId(AnswerBuilder.PLAYOUT_DELAY);
      if (playoutDelayId > 0) {
        viewer.videoOut.addExtension(playoutDelayId, ExtensionCopy.playoutDelay(PLAYOUT_DELAY_MIN_MS, PLAYOUT_DELAY_MAX_MS));
      }
      int transportCcId = viewerVideo.extensionId(AnswerBuilder.TRANSPORT_CC);
      if (transportCcId > 0) {
        viewer.videoOut.addTransportSequence(transportCcId);
        // Start high: a viewer should see sharp text at once; feedback pulls the estimate down within a second
        // on a path that cannot carry it.
        viewer.bwe = new SendSideEstimator(VIEWER_INITIAL_ESTIMATE_BPS, 100_000, 50_000_000);
      }
    }
    if (viewerAudio != null && viewer.audioOut == null) {
      viewer.audioOut = new OutboundStream(audioSsrc, false);
    }
    if (presenter == null) {
      return;
    }
    apply(viewer.videoOut, find(presenter, MediaKind.VIDEO), viewerVideo);
    if (viewer.videoOut != null && viewer.retransmitter == null) {
      viewer.retransmitter = retransmitter(viewerVideo, videoSsrc);
    }
    apply(viewer.audioOut, find(presenter, MediaKind.AUDIO), viewerAudio);
  }

  private static void apply(OutboundStream out, NegotiatedMedia source, NegotiatedMedia target) {
    if (out == null || source == null || target == null) {
      return;
    }
    out.configure(StreamMapping.payloadTypes(source.codecs(), target.codecs()),
        StreamMapping.extensions(source.extensions(), target.extensions()));
  }

  /** Resends answer the viewer's NACKs over RTX when it negotiated RTX for the codec, plainly otherwise. */
  private static Retransmitter retransmitter(NegotiatedMedia viewerVideo, long videoSsrc) {
    Retransmitter r = new Retransmitter();
    int[] rtxByPt = new int[128];
    java.util.Arrays.fill(rtxByPt, -1);
    boolean any = false;
    for (var c : viewerVideo.codecs()) {
      if (c.rtxPayloadType() >= 0) {
        rtxByPt[c.payloadType()] = c.rtxPayloadType();
        any = true;
      }
    }
    if (any) {
      r.enableRtx(rtxByPt, AnswerBuilder.rtxSsrc(videoSsrc), new java.security.SecureRandom().nextInt(0x10000));
    }
    return r;
  }

  private static NegotiatedMedia find(Peer peer, MediaKind kind) {
    for (NegotiatedMedia m : peer.media) {
      if (m.accepted() && m.kind() == kind) {
        return m;
      }
    }
    return null;
  }
}
