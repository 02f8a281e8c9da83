package io.projector.sfu.sdp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Answers a presenter's or viewer's offer. The SFU is always the answerer, the DTLS server
 * (setup:passive) and runs everything over one BUNDLEd, rtcp-muxed ICE transport, so offers that
 * cannot meet that are refused with a reason rather than half-negotiated.
 */
public final class AnswerBuilder {

    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    public static final String PLAYOUT_DELAY = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /** Header extensions the SFU accepts from every peer. */
    /** Transport-wide sequence numbers: the presenter's feed our congestion feedback, ours feed each viewer's. */
    public static final String TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final Set<String> SUPPORTED_EXTENSIONS = Set.of(MID, AUDIO_LEVEL, ABS_SEND_TIME,
            VIDEO_ORIENTATION, PLAYOUT_DELAY, RID, REPAIRED_RID, TRANSPORT_CC);
    /** Only simulcast presenters send rids; the SFU does not send them to viewers. */
    private static final Set<String> PRESENTER_ONLY_EXTENSIONS = Set.of(RID, REPAIRED_RID);
    private static final Set<String> PROTOCOLS = Set.of("UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVP");
    private static final Map<String, Integer> FINGERPRINT_BYTES = Map.of("sha-1", 20, "sha-224", 28,
            "sha-256", 32, "sha-384", 48, "sha-512", 64);

    private AnswerBuilder() {
    }

    /**
     * @param localSsrcForViewer allocates the SSRC the SFU sends with on each accepted viewer m-line,
     *                           called once per such m-line and only when the offer is accepted;
     *                           may be null for presenters
     */
    /**
     * The SSRC of the retransmission (RTX, RFC 4588) stream paired with a viewer's media SSRC: announced in
     * {@code a=ssrc-group:FID} whenever the viewer negotiated RTX.
     */
    public static long rtxSsrc(long mediaSsrc) {
        return (mediaSsrc + 1) & 0xffffffffL;
    }

    public static Answer answer(SessionDescription offer, PeerRole role, LocalParameters local,
                                ToLongFunction<MediaKind> localSsrcForViewer) throws SdpException {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(local, "local");
        if (role == PeerRole.VIEWER && (localSsrcForViewer == null || local.cname() == null
                || local.streamId() == null)) {
            throw new IllegalArgumentException("viewers need localSsrcForViewer, cname and streamId");
        }
        checkTransport(offer);

        List<NegotiatedMedia> result = new ArrayList<>();
        Map<Integer, String> simulcast = new LinkedHashMap<>();
        Set<MediaKind> taken = EnumSet.noneOf(MediaKind.class);
        boolean anyAv = false;
        boolean anyProtocol = false;
        for (MediaDescription m : offer.media()) {
            boolean av = m.kind() != MediaKind.APPLICATION;
            anyAv |= av;
            boolean enabled = av && (m.port() != 0 || offer.isBundled(m)); // port 0 + BUNDLE = bundle-only
            boolean usableProtocol = enabled && PROTOCOLS.contains(m.protocol());
            anyProtocol |= usableProtocol;
            if (!usableProtocol) {
                result.add(rejected(m));
                continue;
            }
            boolean usableDirection = role == PeerRole.PRESENTER ? m.direction().sends() : m.direction().receives();
            List<Codec> codecs = CodecSelector.select(m, role);
            if (usableDirection && !taken.contains(m.kind())) {
                if (codecs.isEmpty()) {
                    throw new SdpException(where(m) + CodecSelector.noCodecReason(m));
                }
                taken.add(m.kind());
                result.add(accept(m, role, codecs, simulcast));
            } else if (!usableDirection && !codecs.isEmpty()) {
                // Wrong direction for this role: keep the transceiver alive but carry nothing.
                result.add(new NegotiatedMedia(m.index(), m.kind(), m.mid(), true, Direction.INACTIVE, codecs,
                        extensions(m, role), m.ssrcs(), 0, List.of()));
            } else {
                result.add(rejected(m)); // a second m-line of a kind already taken, or nothing usable
            }
        }
        if (!anyAv) {
            throw new SdpException("offer has no audio or video m-line");
        }
        if (!anyProtocol) {
            throw new SdpException("no audio or video m-line uses UDP/TLS/RTP/SAVPF");
        }
        if (taken.isEmpty()) {
            throw new SdpException(role == PeerRole.PRESENTER
                    ? "presenter offer has no sendonly or sendrecv audio/video m-line"
                    : "viewer offer has no recvonly or sendrecv audio/video m-line");
        }
        for (NegotiatedMedia n : result) {
            MediaDescription m = offer.media().get(n.index());
            if (n.accepted() && !m.rtcpMux()) {
                throw new SdpException(where(m) + "rtcp-mux is required");
            }
            if (n.accepted() && !offer.isBundled(m)) {
                throw new SdpException(where(m) + "BUNDLE is required (a=group:BUNDLE must list every"
                        + " audio/video mid)");
            }
        }
        if (role == PeerRole.VIEWER) {
            // Only now that nothing can fail any more, so that a refused offer allocates nothing.
            result.replaceAll(n -> n.localDirection() == Direction.SENDONLY ? withLocalSsrc(n, localSsrcForViewer) : n);
        }
        return new Answer(AnswerWriter.write(offer, result, simulcast, local), result);
    }

    private static NegotiatedMedia withLocalSsrc(NegotiatedMedia n, ToLongFunction<MediaKind> ssrcs) {
        long ssrc = ssrcs.applyAsLong(n.kind());
        if (ssrc < 1 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("local SSRC out of range 1..2^32-1: " + ssrc);
        }
        return new NegotiatedMedia(n.index(), n.kind(), n.mid(), n.accepted(), n.localDirection(), n.codecs(),
                n.extensions(), n.remoteSsrcs(), ssrc, n.rids());
    }

    private static NegotiatedMedia accept(MediaDescription m, PeerRole role, List<Codec> codecs,
                                          Map<Integer, String> simulcast) throws SdpException {
        List<String> rids = List.of();
        if (role == PeerRole.PRESENTER && m.kind() == MediaKind.VIDEO && !m.rids().isEmpty()) {
            String list = simulcastSendList(m);
            if (list != null) {
                simulcast.put(m.index(), list);
                rids = m.rids();
            }
        }
        Direction dir = role == PeerRole.PRESENTER ? Direction.RECVONLY : Direction.SENDONLY;
        return new NegotiatedMedia(m.index(), m.kind(), m.mid(), true, dir, codecs, extensions(m, role),
                m.ssrcs(), 0, rids);
    }

    private static NegotiatedMedia rejected(MediaDescription m) {
        return new NegotiatedMedia(m.index(), m.kind(), m.mid(), false, Direction.INACTIVE, List.of(), List.of(),
                List.of(), 0, List.of());
    }

    /**
     * Supported extensions of the offer, with the offer's ids. One whose explicit direction rules
     * out the role's media flow (e.g. "/recvonly" from a presenter) is useless and left out; an
     * explicit direction is answered reversed, as RFC 8285 section 7 requires.
     */
    private static List<HeaderExtension> extensions(MediaDescription m, PeerRole role) {
        return m.extensions().stream().filter(e -> SUPPORTED_EXTENSIONS.contains(e.uri()))
                .filter(e -> role == PeerRole.PRESENTER || !PRESENTER_ONLY_EXTENSIONS.contains(e.uri()))
                .filter(e -> e.direction() == null
                        || (role == PeerRole.PRESENTER ? e.direction().sends() : e.direction().receives()))
                .map(e -> e.direction() == null ? e : new HeaderExtension(e.id(), e.uri(), e.direction().reverse()))
                .toList();
    }

    /**
     * The rid list after "send" in a=simulcast (RFC 8853), e.g. "f;h;q" or "~f;h,q", or null when the
     * offer does not simulcast. Every rid it names must have an a=rid send line.
     */
    static String simulcastSendList(MediaDescription m) throws SdpException {
        if (m.simulcast() == null) {
            return null;
        }
        String[] t = m.simulcast().strip().split("\\s+");
        for (int i = 0; i + 1 < t.length; i += 2) {
            if (t[i].equals("send")) {
                String list = t[i + 1].startsWith("rid=") ? t[i + 1].substring(4) : t[i + 1]; // pre-RFC syntax
                for (String alt : list.split("[;,]")) {
                    String rid = alt.startsWith("~") ? alt.substring(1) : alt;
                    if (!m.rids().contains(rid)) {
                        throw new SdpException(where(m) + "a=simulcast names rid '" + SdpLine.excerpt(rid)
                                + "' without an a=rid:" + SdpLine.excerpt(rid) + " send line");
                    }
                }
                return list;
            }
        }
        return null;
    }

    /** ICE credentials, fingerprint and DTLS role of the (single) transport. */
    private static void checkTransport(SessionDescription offer) throws SdpException {
        String ufrag = offer.effectiveIceUfrag();
        String pwd = offer.effectiveIcePwd();
        if (ufrag == null || pwd == null) {
            throw new SdpException("offer has no ICE credentials (a=ice-ufrag and a=ice-pwd)");
        }
        // RFC 8839 ice-char limits; they also keep the values safe to embed in STUN usernames and logs.
        if (!ufrag.matches("[A-Za-z0-9+/]{4,256}")) {
            throw new SdpException("bad a=ice-ufrag (4..256 of A-Z a-z 0-9 + /): " + SdpLine.excerpt(ufrag));
        }
        if (!pwd.matches("[A-Za-z0-9+/]{22,256}")) {
            throw new SdpException("bad a=ice-pwd (22..256 of A-Z a-z 0-9 + /)");
        }
        String fp = offer.effectiveFingerprint();
        if (fp == null) {
            throw new SdpException("offer has no DTLS fingerprint (a=fingerprint)");
        }
        String[] f = fp.strip().split("\\s+");
        Integer bytes = FINGERPRINT_BYTES.get(f[0].toLowerCase(Locale.ROOT));
        if (bytes == null) {
            throw new SdpException("unsupported fingerprint algorithm " + SdpLine.excerpt(f[0])
                    + " (supported: sha-1, sha-224, sha-256, sha-384, sha-512)");
        }
        if (f.length != 2 || !f[1].matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){" + (bytes - 1) + "}")) {
            throw new SdpException("malformed " + f[0] + " fingerprint: " + SdpLine.excerpt(fp));
        }
        String setup = offer.effectiveSetup();
        if (setup == null || !(setup.equalsIgnoreCase("actpass") || setup.equalsIgnoreCase("active"))) {
            throw new SdpException("offer must let the SFU be DTLS server (setup:actpass or active), got "
                    + (setup == null ? "no a=setup" : "setup:" + SdpLine.excerpt(setup)));
        }
    }

    static String where(MediaDescription m) {
        return "m-line " + m.index() + " (" + m.media() + (m.mid() == null ? "" : ", mid " + m.mid()) + "): ";
    }
}
