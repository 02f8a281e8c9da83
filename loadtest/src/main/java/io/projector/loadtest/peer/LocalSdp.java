package io.projector.loadtest.peer;

import io.projector.loadtest.ice.IceChecks;
import io.projector.sfu.sdp.Codec;
import io.projector.sfu.sdp.MediaDescription;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's SDP, written as Chrome writes it for one VP8 video track (no audio: a screen share), with
 * one host candidate on the peer's socket: the presenter's offer (sendonly, VP8 + RTX, transport-cc), the
 * viewer's offer (recvonly), and the viewer's answer to a server that offers (Janus).
 */
public final class LocalSdp {
  public static final int VP8_PT = 96;
  public static final int RTX_PT = 97;
  public static final int TRANSPORT_CC_ID = 3;
  static final String TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  private static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";

  private final LocalIdentity id;

  public LocalSdp(LocalIdentity id) {
    this.id = id;
  }

  /** The presenter's offer: one sendonly VP8 track with its RTX stream (SSRCs {@code ssrc}, {@code rtxSsrc}). */
  public String presenterOffer(long ssrc, long rtxSsrc) {
    StringBuilder sb = session("0");
    video(sb, "0", "sendonly", "actpass", true);
    sb.append("a=ssrc-group:FID ").append(ssrc).append(' ').append(rtxSsrc).append("\r\n");
    for (long s : new long[] {ssrc, rtxSsrc}) {
      sb.append("a=ssrc:").append(s).append(" cname:loadtest\r\n");
      sb.append("a=ssrc:").append(s).append(" msid:loadtest screen\r\n");
    }
    return sb.toString();
  }

  /** A viewer's offer (WHEP): one recvonly VP8 track with RTX. */
  public String viewerOffer() {
    StringBuilder sb = session("0");
    video(sb, "0", "recvonly", "actpass", false);
    return sb.toString();
  }

  /**
   * A viewer's answer to a server's offer: the first video section accepted recvonly with VP8 and its RTX
   * (at the server's payload types), every other section rejected (port 0), DTLS client (a=setup:active).
   *
   * @throws SdpException when the offer has no VP8 video
   */
  public String viewerAnswer(String remoteOffer) throws SdpException {
    SessionDescription offer = SdpParser.parse(remoteOffer);
    MediaDescription video = offer.media().stream()
        .filter(m -> m.kind() == MediaKind.VIDEO && m.port() != 0 && vp8(m) != null).findFirst()
        .orElseThrow(() -> new SdpException("the offer has no VP8 video section"));
    Codec vp8 = vp8(video);
    StringBuilder sb = session(video.mid());
    for (MediaDescription m : offer.media()) {
      if (m != video) {
        sb.append("m=").append(m.media()).append(" 0 ").append(m.protocol()).append(' ')
            .append(String.join(" ", m.formats())).append("\r\nc=IN IP4 0.0.0.0\r\n");
        if (m.mid() != null) {
          sb.append("a=mid:").append(m.mid()).append("\r\n");
        }
        continue;
      }
      sb.append("m=video 9 UDP/TLS/RTP/SAVPF ").append(vp8.payloadType());
      if (vp8.rtxPayloadType() >= 0) {
        sb.append(' ').append(vp8.rtxPayloadType());
      }
      sb.append("\r\nc=IN IP4 0.0.0.0\r\n");
      transport(sb, m.mid(), "active");
      sb.append("a=recvonly\r\na=rtcp-mux\r\n");
      codecs(sb, vp8.payloadType(), vp8.rtxPayloadType());
    }
    return sb.toString();
  }

  private static Codec vp8(MediaDescription m) {
    return m.codecs().stream().filter(c -> c.name().equalsIgnoreCase("VP8")).findFirst().orElse(null);
  }

  private StringBuilder session(String bundleMid) {
    StringBuilder sb = new StringBuilder(1024);
    sb.append("v=0\r\no=- ").append(id.sessionVersionSeed()).append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    sb.append("a=group:BUNDLE ").append(bundleMid).append("\r\na=msid-semantic: WMS loadtest\r\n");
    return sb;
  }

  private void video(StringBuilder sb, String mid, String direction, String setup, boolean transportCc) {
    sb.append("m=video 9 UDP/TLS/RTP/SAVPF ").append(VP8_PT).append(' ').append(RTX_PT).append("\r\n");
    sb.append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
    transport(sb, mid, setup);
    sb.append("a=extmap:4 ").append(MID_URI).append("\r\n");
    if (transportCc) {
      sb.append("a=extmap:").append(TRANSPORT_CC_ID).append(' ').append(TRANSPORT_CC_URI).append("\r\n");
    }
    sb.append('a').append('=').append(direction).append("\r\n");
    if (direction.equals("sendonly")) {
      sb.append("a=msid:loadtest screen\r\n");
    }
    sb.append("a=rtcp-mux\r\na=rtcp-rsize\r\n");
    codecs(sb, VP8_PT, RTX_PT);
    if (transportCc) {
      sb.append("a=rtcp-fb:").append(VP8_PT).append(" transport-cc\r\n");
    }
  }

  private void transport(StringBuilder sb, String mid, String setup) {
    InetSocketAddress local = id.localAddress();
    sb.append("a=candidate:1 1 udp ").append(IceChecks.HOST_PRIORITY).append(' ')
        .append(local.getAddress().getHostAddress()).append(' ').append(local.getPort())
        .append(" typ host generation 0\r\n");
    sb.append("a=ice-ufrag:").append(id.iceUfrag()).append("\r\na=ice-pwd:").append(id.icePwd()).append("\r\n");
    sb.append("a=ice-options:trickle\r\n");
    sb.append("a=fingerprint:").append(id.certificate().fingerprint().toSdpValue()).append("\r\n");
    sb.append("a=setup:").append(setup).append("\r\n");
    if (mid != null) {
      sb.append("a=mid:").append(mid).append("\r\n");
    }
  }

  private static void codecs(StringBuilder sb, int vp8Pt, int rtxPt) {
    List<String> lines = new ArrayList<>();
    lines.add("a=rtpmap:" + vp8Pt + " VP8/90000");
    lines.add("a=rtcp-fb:" + vp8Pt + " ccm fir");
    lines.add("a=rtcp-fb:" + vp8Pt + " nack");
    lines.add("a=rtcp-fb:" + vp8Pt + " nack pli");
    if (rtxPt >= 0) {
      lines.add("a=rtpmap:" + rtxPt + " rtx/90000");
      lines.add("a=fmtp:" + rtxPt + " apt=" + vp8Pt);
    }
    for (String l : lines) {
      sb.append(l).append("\r\n");
    }
  }
}
