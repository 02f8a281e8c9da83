package io.projector.sfu.session;

import io.projector.sfu.bwe.Remb;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.rtcp.ReceiveStatistics;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;

/**
 * Handles a decrypted compound RTCP datagram on the worker thread.
 * <ul>
 *   <li>From the presenter: sender reports feed the receiver reports we return (LSR/DLSR) and are relayed to
 *       each viewer, rewritten to the viewer's SSRC and timestamps, so viewers keep audio and video in sync.</li>
 *   <li>From a viewer: PLI and FIR become a keyframe request to the presenter, merged and throttled; NACKs are
 *       answered from the presenter's packet cache.</li>
 * </ul>
 */
final class RtcpHandler {
  private static final int SENDER_INFO_LENGTH = 28;

  private RtcpHandler() {}

  static void handle(Forwarder forwarder, Peer from, byte[] buf, int len, long nowMs) {
    if (!RtcpHeader.isValidCompound(buf, 0, len)) {
      forwarder.counters().malformedPackets.increment();
      return;
    }
    int pos = 0;
    while (pos < len) {
      int packetLength = RtcpHeader.packetLength(buf, pos, len);
      int type = RtcpHeader.packetType(buf, pos);
      int fmt = RtcpHeader.countOrFormat(buf, pos);
      if (from.role == Peer.Role.PRESENTER) {
        if (type == RtcpHeader.SR && packetLength >= SENDER_INFO_LENGTH) {
          onSenderReport(forwarder, from, buf, pos, nowMs);
        }
      } else if (type == RtcpHeader.PSFB && (fmt == RtcpHeader.FMT_PLI || fmt == RtcpHeader.FMT_FIR)) {
        forwarder.counters().keyframeRequestsFromViewers.increment();
        forwarder.requestKeyframeFor(from, nowMs);
      } else if (type == RtcpHeader.RTPFB && fmt == RtcpHeader.FMT_NACK) {
        forwarder.onViewerNack(from, buf, pos, packetLength, nowMs);
      } else if (type == RtcpHeader.RTPFB && fmt == RtcpHeader.FMT_TRANSPORT_CC && from.bwe != null) {
        from.bwe.onTransportFeedback(buf, pos, packetLength, System.nanoTime() / 1000);
      } else if (type == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_AFB && from.bwe != null
          && Remb.isRemb(buf, pos, packetLength)) {
        long bps = Remb.bitrateBps(buf, pos, packetLength);
        if (bps > 0) {
          from.bwe.onRemb(bps, System.nanoTime() / 1000);
        }
      }
      pos += packetLength;
    }
  }

  private static void onSenderReport(Forwarder forwarder, Peer presenter, byte[] buf, int pos, long nowMs) {
    long ssrc = RtcpHeader.senderSsrc(buf, pos);
    long ntpSeconds = Bytes.readUint32(buf, pos + 8);
    long ntpFraction = Bytes.readUint32(buf, pos + 12);
    long rtpTimestamp = Bytes.readUint32(buf, pos + 16);
    ReceiveStatistics stats = presenter.inboundStats.find(ssrc);
    if (stats != null) {
      stats.onSenderReport(ntpSeconds, ntpFraction, nowMs);
    }
    byte[] out = forwarder.scratch();
    for (Peer v : forwarder.viewers()) {
      if (!v.connected()) {
        continue;
      }
      OutboundStream stream = v.videoOut != null && v.videoOut.sourceSsrc() == ssrc ? v.videoOut
          : v.audioOut != null && v.audioOut.sourceSsrc() == ssrc ? v.audioOut : null;
      if (stream == null || !stream.started()) {
        continue;
      }
      out[0] = (byte) 0x80; // V=2, no report blocks: the viewer gets only the sender info
      out[1] = (byte) RtcpHeader.SR;
      Bytes.writeUint16(out, 2, SENDER_INFO_LENGTH / 4 - 1);
      Bytes.writeUint32(out, 4, stream.ssrc());
      Bytes.writeUint32(out, 8, ntpSeconds);
      Bytes.writeUint32(out, 12, ntpFraction);
      Bytes.writeUint32(out, 16, (rtpTimestamp + stream.timestampOffset()) & 0xffffffffL);
      Bytes.writeUint32(out, 20, stream.packetsSent());
      Bytes.writeUint32(out, 24, stream.bytesSent());
      forwarder.sendRtcp(v, SENDER_INFO_LENGTH);
    }
  }
}
