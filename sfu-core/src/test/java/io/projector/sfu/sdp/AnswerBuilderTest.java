package io.projector.sfu.sdp;

import static io.projector.sfu.sdp.SdpTestData.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerBuilderTest {

    @Test
    void presenterAnswerPicksVp8WithItsRtxUsingTheOfferPayloadTypes() throws SdpException {
        Answer a = answer(load(CHROME_PRESENTER), PeerRole.PRESENTER);
        NegotiatedMedia video = a.media().get(0);
        assertTrue(video.accepted());
        assertEquals(Direction.RECVONLY, video.localDirection());
        assertEquals(1, video.codecs().size());
        assertEquals(96, video.codecs().get(0).payloadType());
        assertEquals(97, video.codecs().get(0).rtxPayloadType());
        assertEquals(0, video.localSsrc());
        assertEquals(List.of(1836962768L, 3794994383L), video.remoteSsrcs());
        String sdp = a.sdp();
        assertTrue(sdp.contains("\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"), sdp);
        assertTrue(sdp.contains("\r\na=rtpmap:96 VP8/90000\r\n"));
        assertTrue(sdp.contains("\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"));
        assertTrue(sdp.contains("\r\na=rtcp-fb:96 nack pli\r\n"));
        assertTrue(sdp.contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
        assertTrue(sdp.contains("\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=rtcp-fb:111 transport-cc\r\n"));
        assertFalse(sdp.contains("a=ssrc:"), "the SFU sends nothing to a presenter");
    }

    @Test
    void answerHasTheSessionLayoutChromeExpects() throws SdpException {
        String sdp = answer(load(CHROME_PRESENTER), PeerRole.PRESENTER).sdp();
        assertTrue(sdp.startsWith("v=0\r\no=- 4242424242424242 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=ice-lite\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS *\r\nm=video"), sdp);
        assertTrue(sdp.endsWith("\r\n"));
        assertFalse(sdp.replace("\r\n", "").contains("\n"), "every line ends with CRLF");
        assertEquals(1, count(sdp, "a=ice-lite"), "ICE-lite, at session level: the browser controls and checks");
        assertEquals(2, count(sdp, "a=setup:passive"));
        assertEquals(2, count(sdp, "a=ice-ufrag:sfuA1b2"));
        assertEquals(2, count(sdp, "a=fingerprint:" + LOCAL_FINGERPRINT));
        assertEquals(2, count(sdp, "a=rtcp-mux\r\na=rtcp-rsize"));
        assertEquals(1, count(sdp, "a=candidate:1 1 udp 2130706431 192.0.2.10 10000 typ host\r\na=end-of-candidates"),
                "candidates once, on the first accepted m-line");
        assertTrue(sdp.indexOf("a=candidate:") < sdp.indexOf("m=audio"));
    }

    @Test
    void presenterAnswerKeepsOnlySupportedExtensionsAndFeedbackWithOfferIds() throws SdpException {
        Answer a = answer(load(CHROME_PRESENTER), PeerRole.PRESENTER);
        assertEquals(List.of(new HeaderExtension(2, AnswerBuilder.ABS_SEND_TIME),
                new HeaderExtension(3, AnswerBuilder.VIDEO_ORIENTATION),
                new HeaderExtension(4, AnswerBuilder.TRANSPORT_CC),
                new HeaderExtension(5, AnswerBuilder.PLAYOUT_DELAY), new HeaderExtension(9, AnswerBuilder.MID),
                new HeaderExtension(10, AnswerBuilder.RID), new HeaderExtension(11, AnswerBuilder.REPAIRED_RID)),
                a.media().get(0).extensions());
        assertEquals(List.of(new HeaderExtension(14, AnswerBuilder.AUDIO_LEVEL),
                new HeaderExtension(2, AnswerBuilder.ABS_SEND_TIME), new HeaderExtension(4, AnswerBuilder.TRANSPORT_CC),
                new HeaderExtension(9, AnswerBuilder.MID)),
                a.media().get(1).extensions());
        assertEquals(9, a.media().get(1).extensionId(AnswerBuilder.MID));
        assertTrue(a.sdp().contains("a=extmap:14 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"));
        assertFalse(a.sdp().contains("toffset"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                a.media().get(0).codecs().get(0).rtcpFeedback());
    }

    @Test
    void presenterSimulcastAnswerReceivesEveryRid() throws SdpException {
        Answer a = answer(load(CHROME_SIMULCAST), PeerRole.PRESENTER);
        assertEquals(List.of("q", "h", "f"), a.media().get(0).rids());
        assertTrue(a.sdp().contains("a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv f;h;q\r\n"),
                a.sdp());
        assertEquals(List.of(), a.media().get(1).rids());
    }

    @Test
    void simulcastNamingAnUndeclaredRidIsRefused() {
        String offer = load(CHROME_SIMULCAST).replace("a=rid:h send\n", "");
        SdpException e = assertThrows(SdpException.class, () -> answer(offer, PeerRole.PRESENTER));
        assertTrue(e.getMessage().contains("a=simulcast names rid 'h' without an a=rid:h send line"), e.getMessage());
    }

    @Test
    void viewerAnswerSendsWithAllocatedSsrcsAndAllSupportedVideoCodecs() throws SdpException {
        List<MediaKind> asked = new ArrayList<>();
        Answer a = AnswerBuilder.answer(parse(CHROME_VIEWER), PeerRole.VIEWER, LOCAL, kind -> {
            asked.add(kind);
            return kind == MediaKind.AUDIO ? 11111 : 22222;
        });
        assertEquals(List.of(MediaKind.AUDIO, MediaKind.VIDEO), asked);
        NegotiatedMedia audio = a.media().get(0);
        NegotiatedMedia video = a.media().get(1);
        assertEquals(Direction.SENDONLY, audio.localDirection());
        assertEquals(11111, audio.localSsrc());
        assertEquals(22222, video.localSsrc());
        assertEquals(List.of(111), audio.codecs().stream().map(Codec::payloadType).toList());
        assertEquals(List.of(96, 102, 108, 116), video.codecs().stream().map(Codec::payloadType).toList(),
                "VP8 first, then H264 packetization-mode=1 in offer order");
        assertEquals(List.of(97, 103, 109, 117), video.codecs().stream().map(Codec::rtxPayloadType).toList());
        assertTrue(video.extensions().stream().noneMatch(e -> e.uri().contains("stream-id")),
                "rid extensions are for presenters only");
        String sdp = a.sdp();
        assertTrue(sdp.contains("\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 116 117\r\n"), sdp);
        assertEquals(2, count(sdp, "a=sendonly"));
        assertTrue(sdp.contains("a=msid:projector video-track\r\na=ssrc-group:FID 22222 22223\r\n"
                + "a=ssrc:22222 cname:projector-sfu\r\na=ssrc:22222 msid:projector video-track\r\n"
                + "a=ssrc:22223 cname:projector-sfu\r\na=ssrc:22223 msid:projector video-track\r\n"), sdp);
        assertTrue(sdp.contains("a=ssrc:11111 cname:projector-sfu\r\na=ssrc:11111 msid:projector audio-track\r\n"));
        assertEquals(1, count(sdp, "ssrc-group"), "RTX is paired with video only");
    }

    @Test
    void h264OnlyOfferPicksPacketizationModeOneConstrainedBaseline() throws SdpException {
        Answer gst = answer(load(GSTREAMER_PRESENTER), PeerRole.PRESENTER);
        Codec chosen = gst.media().get(0).codecs().get(0);
        assertEquals(96, chosen.payloadType());
        assertEquals(1, chosen.packetizationMode());
        assertEquals("42e01f", chosen.profileLevelId());
        assertTrue(gst.sdp().contains("a=group:BUNDLE video0 audio1\r\n"));
        assertTrue(gst.sdp().contains("a=rtpmap:111 OPUS/48000/2\r\n"));

        // Chrome without VP8: 102 (42001f, mode 1) comes first, but 108 (42e01f, mode 1) is preferred.
        String chrome = without(load(CHROME_PRESENTER), "a=rtpmap:96 ", "a=rtpmap:97 ").replace(" 96 97 102", " 102");
        Codec h264 = answer(chrome, PeerRole.PRESENTER).media().get(0).codecs().get(0);
        assertEquals(108, h264.payloadType());
        assertEquals(109, h264.rtxPayloadType());
    }

    @Test
    void h264PreferenceFallsBackToAnyBaselineThenAnyProfile() throws SdpException {
        String base = "v=0\na=group:BUNDLE v\na=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\n"
                + "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\na=setup:active\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 100 101 102\na=mid:v\na=sendonly\na=rtcp-mux\n"
                + "a=rtpmap:100 H264/90000\na=rtpmap:101 H264/90000\na=rtpmap:102 H264/90000\n";
        String offer = base + "a=fmtp:100 packetization-mode=1;profile-level-id=64001f\n"
                + "a=fmtp:101 packetization-mode=0;profile-level-id=42e01f\n"
                + "a=fmtp:102 packetization-mode=1;profile-level-id=42c01f\n";
        assertEquals(102, answer(offer, PeerRole.PRESENTER).media().get(0).codecs().get(0).payloadType());
        String highOnly = offer.replace("profile-level-id=42c01f", "profile-level-id=640c1f");
        assertEquals(100, answer(highOnly, PeerRole.PRESENTER).media().get(0).codecs().get(0).payloadType());
    }

    @Test
    void firefoxSendrecvOfferIsReceivedAndItsDataChannelRejected() throws SdpException {
        Answer a = answer(load(FIREFOX_PRESENTER), PeerRole.PRESENTER);
        assertEquals(Direction.RECVONLY, a.media().get(0).localDirection());
        assertEquals(120, a.media().get(1).codecs().get(0).payloadType());
        NegotiatedMedia data = a.media().get(2);
        assertFalse(data.accepted());
        assertEquals("2", data.mid());
        String sdp = a.sdp();
        assertTrue(sdp.contains("a=group:BUNDLE 0 1\r\n"), sdp);
        assertTrue(sdp.contains("a=fmtp:120 max-fs=12288;max-fr=60\r\n"));
        assertTrue(sdp.contains("a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\r\n"));
        assertTrue(sdp.endsWith("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n"));
    }

    @Test
    void extmapDirectionIsDroppedWhenUselessAndReversedOtherwise() throws SdpException {
        Answer presenter = answer(load(FIREFOX_PRESENTER), PeerRole.PRESENTER);
        assertEquals(List.of(new HeaderExtension(3, AnswerBuilder.MID), new HeaderExtension(4, AnswerBuilder.ABS_SEND_TIME),
                new HeaderExtension(7, AnswerBuilder.TRANSPORT_CC)),
                presenter.media().get(1).extensions(), "Firefox only receives playout-delay: useless from a presenter");
        Answer viewer = answer(load(FIREFOX_PRESENTER).replace("a=sendrecv", "a=recvonly"), PeerRole.VIEWER);
        assertEquals(new HeaderExtension(6, AnswerBuilder.PLAYOUT_DELAY, Direction.SENDONLY),
                viewer.media().get(1).extensions().get(2));
        assertTrue(viewer.sdp().contains("a=extmap:6/sendonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay\r\n"));
    }

    @Test
    void extraAndWrongDirectionMediaAreRejectedOrInactive() throws SdpException {
        String offer = load(GSTREAMER_PRESENTER)
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:extra\na=sendonly\na=rtcp-mux\na=rtpmap:96 VP8/90000\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:back\na=recvonly\na=rtcp-mux\na=rtpmap:96 VP8/90000\n"
                + "m=text 9 RTP/AVP 98\na=mid:t\n";
        offer = offer.replace("a=group:BUNDLE video0 audio1", "a=group:BUNDLE video0 audio1 extra back t");
        Answer a = answer(offer, PeerRole.PRESENTER);
        assertFalse(a.media().get(2).accepted(), "only one video m-line is received");
        assertTrue(a.media().get(3).accepted());
        assertEquals(Direction.INACTIVE, a.media().get(3).localDirection());
        assertFalse(a.media().get(4).accepted());
        String sdp = a.sdp();
        assertTrue(sdp.contains("a=group:BUNDLE video0 audio1 back\r\n"), sdp);
        assertTrue(sdp.contains("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:extra\r\na=inactive\r\n"));
        assertTrue(sdp.contains("m=text 0 RTP/AVP 98\r\nc=IN IP4 0.0.0.0\r\na=mid:t\r\n"));
    }

    @Test
    void refusedViewerOfferAllocatesNoSsrc() {
        List<MediaKind> asked = new ArrayList<>();
        SessionDescription offer = assertDoesNotThrow(() -> SdpParser.parse(without(load(CHROME_VIEWER), "a=rtcp-mux")));
        assertThrows(SdpException.class, () -> AnswerBuilder.answer(offer, PeerRole.VIEWER, LOCAL, kind -> {
            asked.add(kind);
            return 5;
        }));
        assertEquals(List.of(), asked);
    }

    @Test
    void offerWithoutFingerprintIsRefused() {
        assertRefused(without(load(CHROME_PRESENTER), "a=fingerprint"), PeerRole.PRESENTER,
                "offer has no DTLS fingerprint");
        assertRefused(load(CHROME_PRESENTER).replace("a=fingerprint:sha-256", "a=fingerprint:md5"),
                PeerRole.PRESENTER, "unsupported fingerprint algorithm md5");
        assertRefused(load(CHROME_PRESENTER).replace(":D0:A6\n", "\n"), PeerRole.PRESENTER,
                "malformed sha-256 fingerprint");
    }

    @Test
    void offerThatMakesTheSfuDtlsClientIsRefused() {
        assertRefused(load(CHROME_PRESENTER).replace("a=setup:actpass", "a=setup:passive"), PeerRole.PRESENTER,
                "offer must let the SFU be DTLS server (setup:actpass or active), got setup:passive");
        assertRefused(without(load(CHROME_PRESENTER), "a=setup"), PeerRole.PRESENTER, "got no a=setup");
    }

    @Test
    void offerWithoutIceCredentialsIsRefused() {
        assertRefused(without(load(CHROME_VIEWER), "a=ice-pwd"), PeerRole.VIEWER, "offer has no ICE credentials");
    }

    @Test
    void offerWithoutRtcpMuxIsRefused() {
        assertRefused(without(load(CHROME_PRESENTER), "a=rtcp-mux"), PeerRole.PRESENTER,
                "m-line 0 (video, mid 0): rtcp-mux is required");
    }

    @Test
    void offerWithoutBundleIsRefused() {
        assertRefused(without(load(CHROME_VIEWER), "a=group:BUNDLE"), PeerRole.VIEWER, "BUNDLE is required");
        assertRefused(load(CHROME_VIEWER).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"), PeerRole.VIEWER,
                "m-line 1 (video, mid 1): BUNDLE is required");
    }

    @Test
    void offerWithoutSupportedVideoCodecIsRefusedNamingWhatWasOffered() {
        String offer = load(GSTREAMER_PRESENTER).replace("H264/90000", "AV1/90000").replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98\na=rtpmap:98 VP9/90000");
        assertRefused(offer, PeerRole.PRESENTER, "m-line 0 (video, mid video0): no supported video codec: offered AV1, VP9;"
                + " supported VP8, H264 (packetization-mode=1)");
        String pcmu = load(GSTREAMER_PRESENTER).replace("OPUS/48000/2", "PCMU/8000");
        assertRefused(pcmu, PeerRole.PRESENTER, "no supported audio codec: offered PCMU/8000/1; supported opus/48000/2");
    }

    @Test
    void offersThatCannotCarryTheRoleAreRefused() {
        assertRefused(load(CHROME_VIEWER), PeerRole.PRESENTER,
                "presenter offer has no sendonly or sendrecv audio/video m-line");
        assertRefused(load(GSTREAMER_PRESENTER), PeerRole.VIEWER,
                "viewer offer has no recvonly or sendrecv audio/video m-line");
        assertRefused(load(CHROME_PRESENTER).replace("UDP/TLS/RTP/SAVPF", "RTP/AVP"), PeerRole.PRESENTER,
                "no audio or video m-line uses UDP/TLS/RTP/SAVPF");
        String dataOnly = "v=0\na=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\n"
                + "a=fingerprint:" + LOCAL_FINGERPRINT + "\na=setup:actpass\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\na=mid:0\n";
        assertRefused(dataOnly, PeerRole.VIEWER, "offer has no audio or video m-line");
    }

    private static void assertRefused(String offer, PeerRole role, String expected) {
        SdpException e = assertThrows(SdpException.class, () -> answer(offer, role));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
