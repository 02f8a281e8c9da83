package io.projector.sfu.session;

import io.projector.sfu.MediaConfig;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.forward.NackGenerator;
import io.projector.sfu.rtcp.Nack;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtcp.RtcpWriter;

/**
 * Everything the SFU tells the presenter, on the worker thread: merged keyframe requests (PLI per layer),
 * NACKs for packets lost on the way in, transport-wide congestion feedback, and receiver reports.
 */
final class UpstreamFeedback {
  /**
   * Round-trip time assumed toward the presenter when spacing NACK retries (the generator never retries faster
   * than 20 ms). Not measured yet: the presenter sends no receiver reports we could time.
   */
  static final long PRESENTER_RTT_ESTIMATE_MS = 50;

  private final Forwarder forwarder;
  private final MediaConfig config;
  private final MediaCounters counters;
  private final int[] nackSeqs = new int[1024];
  private long lastReportMs;
  long lastKeyframeRequestMs;

  UpstreamFeedback(Forwarder forwarder, MediaConfig config, MediaCounters counters) {
    this.forwarder = forwarder;
    this.config = config;
    this.counters = counters;
  }

  /** A keyframe is wanted on a layer: merged and throttled per layer. */
  void requestKeyframe(Peer presenter, int layer, long nowMs) {
    if (presenter == null || !presenter.connected() || presenter.video == null) {
      return; // asked again when the presenter's video starts (see Forwarder.tick)
    }
    long ssrc = presenter.video.ssrc(layer);
    if (ssrc >= 0 && presenter.video.keyframes(layer).request(nowMs)) {
      sendPli(presenter, ssrc, nowMs);
    }
  }

  void tick(Peer presenter, long nowMs, long nowUs) {
    PresenterVideo video = presenter.video;
    if (video != null) {
      for (int layer = 0; layer < video.layerCount(); layer++) {
        long ssrc = video.ssrc(layer);
        if (ssrc < 0) {
          continue;
        }
        if (video.keyframes(layer).poll(nowMs)) {
          sendPli(presenter, ssrc, nowMs);
        }
        requestRepairs(presenter, layer, ssrc, nowMs);
      }
    }
    sendTransportFeedback(presenter, nowUs);
    if (nowMs - lastReportMs >= config.receiverReportIntervalMs()) {
      lastReportMs = nowMs;
      sendReceiverReport(presenter, nowMs);
    }
  }

  private void sendPli(Peer presenter, long mediaSsrc, long nowMs) {
    byte[] scratch = forwarder.scratch();
    int len = RtcpWriter.writePli(scratch, 0, presenter.rtcpSenderSsrc, mediaSsrc);
    forwarder.sendRtcp(presenter, len);
    lastKeyframeRequestMs = nowMs;
    counters.keyframeRequestsSent.increment();
  }

  /** Losses between presenter and SFU: NACK them, or ask for a keyframe when that is hopeless. */
  private void requestRepairs(Peer presenter, int layer, long ssrc, long nowMs) {
    NackGenerator generator = presenter.video.nacks(layer);
    if (generator == null) {
      return;
    }
    int n = generator.collect(nowMs, PRESENTER_RTT_ESTIMATE_MS, nackSeqs);
    if (n > 0) {
      int len = Nack.write(forwarder.scratch(), 0, presenter.rtcpSenderSsrc, ssrc, nackSeqs, n);
      if (len > 0) {
        forwarder.sendRtcp(presenter, len);
        counters.nacksSentToPresenter.add(n);
      }
    }
    if (generator.keyframeAdvised()) {
      requestKeyframe(presenter, layer, nowMs);
    }
  }

  /** Transport-wide congestion feedback, when due (every ~50 ms or 100 packets). */
  void sendTransportFeedback(Peer presenter, long nowUs) {
    if (presenter.transportCc == null || !presenter.transportCc.feedbackDue(nowUs)) {
      return;
    }
    long mediaSsrc = presenter.video == null ? 0 : Math.max(presenter.video.ssrc(0), 0);
    int n;
    while ((n = presenter.transportCc.writeFeedback(forwarder.scratch(), 0, presenter.rtcpSenderSsrc, mediaSsrc,
        nowUs)) > 0) {
      forwarder.sendRtcp(presenter, n);
    }
  }

  private void sendReceiverReport(Peer p, long nowMs) {
    int blocks = 0;
    for (int i = 0; i < p.inboundStats.size() && blocks < 31; i++) {
      blocks += p.inboundStats.get(i).hasPackets() ? 1 : 0;
    }
    if (blocks == 0) {
      return;
    }
    byte[] scratch = forwarder.scratch();
    int pos = RtcpWriter.writeReceiverReportHeader(scratch, 0, p.rtcpSenderSsrc, blocks);
    int written = 0;
    for (int i = 0; i < p.inboundStats.size() && written < blocks; i++) {
      ReceiveStatistics s = p.inboundStats.get(i);
      if (s.hasPackets()) {
        pos += s.writeReportBlock(scratch, pos, nowMs);
        written++;
      }
    }
    forwarder.sendRtcp(p, pos);
  }

}
