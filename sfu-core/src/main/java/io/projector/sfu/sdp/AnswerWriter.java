package io.projector.sfu.sdp;

import java.util.List;
import java.util.Map;

/** Renders negotiated media as answer text in the layout Chrome and Firefox produce themselves. */
final class AnswerWriter {

    private final StringBuilder sb = new StringBuilder(4096);

    private AnswerWriter() {
    }

    static String write(SessionDescription offer, List<NegotiatedMedia> media, Map<Integer, String> simulcast,
                        LocalParameters local) {
        AnswerWriter w = new AnswerWriter();
        w.line("v=0");
        w.line("o=- " + local.sessionId() + " 2 IN IP4 127.0.0.1");
        w.line("s=-");
        w.line("t=0 0");
        w.line("a=ice-lite"); // we answer checks and never send any: the browser controls ICE (RFC 8445 §2.5)
        StringBuilder group = new StringBuilder("a=group:BUNDLE");
        for (NegotiatedMedia n : media) {
            if (n.accepted()) {
                group.append(' ').append(n.mid());
            }
        }
        w.line(group.toString());
        w.line("a=msid-semantic: WMS *");
        boolean candidatesWritten = false;
        for (NegotiatedMedia n : media) {
            MediaDescription m = offer.media().get(n.index());
            if (!n.accepted()) {
                w.rejected(m);
                continue;
            }
            w.accepted(m, n, local, simulcast.get(n.index()));
            // With BUNDLE one set on the first accepted (tagged) m-line covers the whole transport.
            if (!candidatesWritten && !local.candidates().isEmpty()) {
                for (Candidate c : local.candidates()) {
                    w.line("a=candidate:" + c.toSdpValue());
                }
                w.line("a=end-of-candidates");
                candidatesWritten = true;
            }
            if (n.localSsrc() != 0 && n.localDirection() == Direction.SENDONLY) {
                String track = local.streamId() + " " + n.kind().token() + "-track";
                w.line("a=msid:" + track);
                boolean rtx = n.kind() == MediaKind.VIDEO && n.codecs().stream().anyMatch(Codec::hasRtx);
                long rtxSsrc = AnswerBuilder.rtxSsrc(n.localSsrc());
                if (rtx) {
                    w.line("a=ssrc-group:FID " + n.localSsrc() + " " + rtxSsrc);
                }
                w.line("a=ssrc:" + n.localSsrc() + " cname:" + local.cname());
                w.line("a=ssrc:" + n.localSsrc() + " msid:" + track);
                if (rtx) {
                    w.line("a=ssrc:" + rtxSsrc + " cname:" + local.cname());
                    w.line("a=ssrc:" + rtxSsrc + " msid:" + track);
                }
            }
        }
        return w.sb.toString();
    }

    /** Port 0 with the offer's media, protocol and formats, as RFC 3264 section 6 requires. */
    private void rejected(MediaDescription m) {
        line("m=" + m.media() + " 0 " + m.protocol() + " " + String.join(" ", m.formats()));
        line("c=IN IP4 0.0.0.0");
        if (m.mid() != null) {
            line("a=mid:" + m.mid());
        }
        if (m.kind() != MediaKind.APPLICATION) {
            line("a=inactive");
        }
    }

    private void accepted(MediaDescription m, NegotiatedMedia n, LocalParameters local, String simulcastList) {
        StringBuilder pts = new StringBuilder();
        for (Codec c : n.codecs()) {
            pts.append(' ').append(c.payloadType());
            if (c.hasRtx()) {
                pts.append(' ').append(c.rtxPayloadType());
            }
        }
        line("m=" + m.media() + " 9 " + m.protocol() + pts);
        line("c=IN IP4 0.0.0.0");
        line("a=mid:" + m.mid());
        line("a=ice-ufrag:" + local.iceUfrag());
        line("a=ice-pwd:" + local.icePwd());
        line("a=fingerprint:" + local.fingerprintSdpValue());
        line("a=setup:passive"); // the SFU is always the DTLS server
        line("a=" + n.localDirection().attribute());
        line("a=rtcp-mux");
        if (m.rtcpRsize()) {
            line("a=rtcp-rsize");
        }
        for (Codec c : n.codecs()) {
            line("a=rtpmap:" + c.payloadType() + " " + c.rtpmapValue());
            if (c.fmtpValue() != null) {
                line("a=fmtp:" + c.payloadType() + " " + c.fmtpValue());
            }
            for (String fb : c.rtcpFeedback()) {
                line("a=rtcp-fb:" + c.payloadType() + " " + fb);
            }
            if (c.hasRtx()) {
                line("a=rtpmap:" + c.rtxPayloadType() + " rtx/" + c.clockRate());
                line("a=fmtp:" + c.rtxPayloadType() + " apt=" + c.payloadType());
            }
        }
        for (HeaderExtension e : n.extensions()) {
            line("a=extmap:" + e.toSdpValue());
        }
        if (simulcastList != null) {
            for (String rid : n.rids()) {
                line("a=rid:" + rid + " recv");
            }
            line("a=simulcast:recv " + simulcastList);
        }
    }

    private void line(String s) {
        sb.append(s).append("\r\n");
    }
}
