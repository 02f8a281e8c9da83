package io.projector.loadtest.peer;

import io.projector.sfu.sdp.Candidate;
import io.projector.sfu.sdp.Codec;
import io.projector.sfu.sdp.MediaDescription;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import io.projector.sfu.sdp.SsrcGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Comparator;

/**
 * What the generator needs from the server's SDP: ICE credentials, the candidate to use, the DTLS fingerprint
 * and role, and the video stream's payload types and SSRCs.
 *
 * @param candidate the server's UDP candidate: the one on {@code preferredAddress} if any, else the
 *     highest-priority IPv4 one
 * @param weAreDtlsClient true unless the server took the client role (a=setup:active in its answer)
 * @param videoSsrc the server's video SSRC toward us, or -1 when it does not announce it (as a publisher's answer)
 * @param rtxSsrc its RTX SSRC (a=ssrc-group:FID), or -1
 */
public record RemoteMedia(String iceUfrag, String icePwd, String fingerprint, boolean weAreDtlsClient,
    InetSocketAddress candidate, int vp8PayloadType, int rtxPayloadType, long videoSsrc, long rtxSsrc) {

  /**
   * Parses the server's answer or offer.
   *
   * @throws SdpException when it lacks what a connection needs (ICE credentials, fingerprint, a UDP candidate,
   *     VP8 video)
   */
  public static RemoteMedia parse(String sdp, InetAddress preferredAddress) throws SdpException {
    SessionDescription d = SdpParser.parse(sdp);
    MediaDescription video = d.media().stream().filter(m -> m.kind() == MediaKind.VIDEO && m.port() != 0)
        .findFirst().orElseThrow(() -> new SdpException("no video section"));
    Codec vp8 = video.codecs().stream().filter(c -> c.name().equalsIgnoreCase("VP8")).findFirst()
        .orElseThrow(() -> new SdpException("no VP8 in the video section"));
    if (d.effectiveIceUfrag() == null || d.effectiveIcePwd() == null || d.effectiveFingerprint() == null) {
      throw new SdpException("no ICE credentials or DTLS fingerprint");
    }
    Candidate c = d.media().stream().flatMap(m -> m.candidates().stream())
        .filter(x -> x.isUdp() && x.component() == 1 && !x.address().contains(":"))
        .sorted(Comparator.comparing((Candidate x) -> !x.address().equals(preferredAddress.getHostAddress()))
            .thenComparing(Comparator.comparingLong(Candidate::priority).reversed()))
        .findFirst().orElseThrow(() -> new SdpException("no UDP IPv4 candidate"));
    long ssrc = video.ssrcs().isEmpty() ? -1 : video.ssrcs().get(0);
    long rtx = video.ssrcGroups().stream().filter(g -> g.semantics().equals("FID") && g.ssrcs().size() == 2)
        .map(SsrcGroup::ssrcs).filter(s -> s.get(0) == ssrc).map(s -> s.get(1)).findFirst().orElse(-1L);
    String setup = d.effectiveSetup();
    try {
      return new RemoteMedia(d.effectiveIceUfrag(), d.effectiveIcePwd(), d.effectiveFingerprint(),
          !"active".equals(setup), new InetSocketAddress(InetAddress.getByName(c.address()), c.port()),
          vp8.payloadType(), vp8.rtxPayloadType(), ssrc, rtx);
    } catch (UnknownHostException e) {
      throw new SdpException("bad candidate address " + c.address());
    }
  }
}
