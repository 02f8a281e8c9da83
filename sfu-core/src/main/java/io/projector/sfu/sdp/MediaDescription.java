package io.projector.sfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * One parsed m-section of a session description.
 *
 * @param index       0-based position of the m-line in the description
 * @param kind        media kind; every non audio/video type is {@link MediaKind#APPLICATION}
 * @param mid         a=mid, or null
 * @param direction   a=sendrecv/sendonly/recvonly/inactive of the section, else of the session,
 *                    else SENDRECV (RFC 3264 default)
 * @param protocol    transport protocol of the m-line, e.g. "UDP/TLS/RTP/SAVPF"
 * @param codecs      payload formats in m-line (preference) order, RTX folded into its primary
 * @param rids        ids of the "a=rid:&lt;id&gt; send" lines, in order
 * @param simulcast   raw a=simulcast value, or null
 * @param fingerprint first a=fingerprint value of the section, e.g. "sha-256 AB:CD:...", or null
 * @param msid        raw a=msid value, else the msid of the first a=ssrc line, or null
 * @param media       the media token as written ("video", "text", ...), echoed in rejections
 * @param port        m-line port; 0 means the offerer disabled the section
 * @param formats     the m-line format list as written (payload types or e.g. "webrtc-datachannel")
 */
public record MediaDescription(int index, MediaKind kind, String mid, Direction direction, String protocol,
                               List<Codec> codecs, List<HeaderExtension> extensions, List<Long> ssrcs,
                               List<SsrcGroup> ssrcGroups, List<String> rids, String simulcast, boolean rtcpMux,
                               boolean rtcpRsize, String iceUfrag, String icePwd, String fingerprint, String setup,
                               List<Candidate> candidates, String msid, String media, int port,
                               List<String> formats) {

    public MediaDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(media, "media");
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
        ssrcs = List.copyOf(ssrcs);
        ssrcGroups = List.copyOf(ssrcGroups);
        rids = List.copyOf(rids);
        candidates = List.copyOf(candidates);
        formats = List.copyOf(formats);
    }

    /**
     * The constructor with the original component list; media token, port (9) and format list are
     * derived from kind and codecs.
     */
    public MediaDescription(int index, MediaKind kind, String mid, Direction direction, String protocol,
                            List<Codec> codecs, List<HeaderExtension> extensions, List<Long> ssrcs,
                            List<SsrcGroup> ssrcGroups, List<String> rids, String simulcast, boolean rtcpMux,
                            boolean rtcpRsize, String iceUfrag, String icePwd, String fingerprint, String setup,
                            List<Candidate> candidates, String msid) {
        this(index, kind, mid, direction, protocol, codecs, extensions, ssrcs, ssrcGroups, rids, simulcast,
                rtcpMux, rtcpRsize, iceUfrag, icePwd, fingerprint, setup, candidates, msid, kind.token(), 9,
                codecs.stream().map(c -> String.valueOf(c.payloadType())).toList());
    }

    /** The codec with this payload type, or null. */
    public Codec codec(int payloadType) {
        for (Codec c : codecs) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }

    /** Whether the m-line uses an RTP profile, i.e. its formats are payload types. */
    public boolean isRtp() {
        return protocol.contains("RTP/");
    }
}
