package io.projector.sfu.sdp;

import static io.projector.sfu.sdp.SdpTestData.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdpParserTest {

    @Test
    void chromePresenterOfferIsParsedIntoSessionAndMediaFields() throws SdpException {
        SessionDescription s = parse(CHROME_PRESENTER);
        assertEquals(List.of("0", "1"), s.bundleMids());
        assertFalse(s.iceLite());
        assertNull(s.iceUfrag(), "Chrome writes ICE credentials per m-line only");
        assertEquals("XbAK", s.effectiveIceUfrag());
        assertEquals("+h3N9uQxwLZc/FYqIYSTr1+1", s.effectiveIcePwd());
        assertTrue(s.effectiveFingerprint().startsWith("sha-256 7F:39:6C"));
        assertEquals("actpass", s.effectiveSetup());

        MediaDescription video = s.media().get(0);
        assertEquals(MediaKind.VIDEO, video.kind());
        assertEquals("0", video.mid());
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals("UDP/TLS/RTP/SAVPF", video.protocol());
        assertTrue(video.rtcpMux());
        assertTrue(video.rtcpRsize());
        assertEquals(List.of(1836962768L, 3794994383L), video.ssrcs());
        assertEquals(new SsrcGroup("FID", List.of(1836962768L, 3794994383L)), video.ssrcGroups().get(0));
        assertEquals("2110e13a-9c2b-497a-b889-e4c9e9d1700e a5560151-37d0-42d2-a0fd-adbdb2db4cf0", video.msid());
        assertEquals(3, video.candidates().size());
        assertEquals(11, video.extensions().size());
        assertEquals(new HeaderExtension(9, AnswerBuilder.MID), video.extensions().get(8));
    }

    @Test
    void rtxIsFoldedIntoItsPrimaryCodecInsteadOfBeingACodec() throws SdpException {
        MediaDescription video = parse(CHROME_PRESENTER).media().get(0);
        assertTrue(video.codecs().stream().noneMatch(c -> c.name().equalsIgnoreCase("rtx")));
        assertEquals(List.of(96, 102, 104, 108, 45, 98, 118, 120),
                video.codecs().stream().map(Codec::payloadType).toList(), "offer order is kept");
        Codec vp8 = video.codecs().get(0);
        assertEquals("VP8", vp8.name());
        assertEquals(90000, vp8.clockRate());
        assertEquals(1, vp8.channels());
        assertEquals(97, vp8.rtxPayloadType());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), vp8.rtcpFeedback());
        Codec h264 = video.codec(108);
        assertEquals(109, h264.rtxPayloadType());
        assertEquals(Map.of("level-asymmetry-allowed", "1", "packetization-mode", "1", "profile-level-id", "42e01f"),
                h264.fmtp());
        assertEquals(List.of("level-asymmetry-allowed", "packetization-mode", "profile-level-id"),
                List.copyOf(h264.fmtp().keySet()), "fmtp keeps insertion order");
        assertEquals(-1, video.codec(120).rtxPayloadType());
    }

    @Test
    void audioCodecsKeepChannelsAndParametersWithoutValues() throws SdpException {
        MediaDescription audio = parse(CHROME_PRESENTER).media().get(1);
        Codec opus = audio.codecs().get(0);
        assertEquals("opus", opus.name());
        assertEquals(48000, opus.clockRate());
        assertEquals(2, opus.channels());
        assertEquals("minptime=10;useinbandfec=1", opus.fmtpValue());
        assertEquals(List.of("transport-cc"), opus.rtcpFeedback());
        assertEquals(Map.of("111/111", ""), audio.codec(63).fmtp(), "RED's fmtp has no key=value");
        assertEquals("PCMU", audio.codec(0).name());
    }

    @Test
    void crlfAndLfLineEndingsGiveTheSameResult() throws SdpException {
        String lf = load(CHROME_PRESENTER);
        assertEquals(SdpParser.parse(lf), SdpParser.parse(lf.replace("\n", "\r\n")));
    }

    @Test
    void firefoxOfferWithSessionFingerprintAndFmtpBeforeRtpmapIsParsed() throws SdpException {
        SessionDescription s = parse(FIREFOX_PRESENTER);
        assertTrue(s.fingerprint().startsWith("sha-256 68:C2"));
        assertNull(s.media().get(0).fingerprint());
        assertEquals(s.fingerprint(), s.effectiveFingerprint());
        assertEquals("a1b2c3d4", s.effectiveIceUfrag());

        MediaDescription audio = s.media().get(0);
        assertEquals(Direction.SENDRECV, audio.direction());
        assertEquals(Map.of("0-15", ""), audio.codec(101).fmtp());
        assertEquals("TCP", audio.candidates().get(1).transport());

        MediaDescription video = s.media().get(1);
        Codec vp8 = video.codecs().get(0);
        assertEquals(120, vp8.payloadType());
        assertEquals(124, vp8.rtxPayloadType());
        assertEquals("max-fs=12288;max-fr=60", vp8.fmtpValue());
        assertEquals(127, video.codec(126).rtxPayloadType());
        assertEquals(0, video.codec(97).packetizationMode(), "absent packetization-mode means 0");
        assertEquals(new HeaderExtension(6, AnswerBuilder.PLAYOUT_DELAY, Direction.RECVONLY), video.extensions().get(3),
                "extmap direction suffix is kept");

        MediaDescription data = s.media().get(2);
        assertEquals(MediaKind.APPLICATION, data.kind());
        assertEquals("application", data.media());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertTrue(data.codecs().isEmpty());
    }

    @Test
    void gstreamerOfferKeepsCodecNameCaseAndBase64FmtpValues() throws SdpException {
        SessionDescription s = parse(GSTREAMER_PRESENTER);
        assertEquals(List.of("video0", "audio1"), s.bundleMids());
        Codec h264 = s.media().get(0).codecs().get(0);
        assertEquals("Z0LAH9kAUAW7ARAAAAMAEAAAAwPI8YMkgA==,aM48gA==", h264.fmtp().get("sprop-parameter-sets"));
        assertEquals("OPUS", s.media().get(1).codecs().get(0).name());
        assertEquals("user3217689384/video webrtctransceiver0", s.media().get(0).msid(),
                "msid falls back to the a=ssrc msid attribute");
    }

    @Test
    void simulcastOfferListsSendRidsAndKeepsTheRawSimulcastValue() throws SdpException {
        MediaDescription video = parse(CHROME_SIMULCAST).media().get(0);
        assertEquals(List.of("q", "h", "f"), video.rids());
        assertEquals("send f;h;q", video.simulcast());
        assertTrue(video.ssrcs().isEmpty());
    }

    @Test
    void wildcardRtcpFeedbackAppliesToEveryCodecAndDirectionDefaultsFromSession() throws SdpException {
        SessionDescription s = SdpParser.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=recvonly\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96 98\na=rtpmap:96 VP8/90000\na=rtpmap:98 VP9/90000\n"
                + "a=rtcp-fb:96 nack\na=rtcp-fb:* ccm fir\na=x-unknown-attribute:whatever\nb=AS:2000\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\na=sendrecv\n");
        MediaDescription video = s.media().get(0);
        assertEquals(List.of("nack", "ccm fir"), video.codec(96).rtcpFeedback());
        assertEquals(List.of("ccm fir"), video.codec(98).rtcpFeedback());
        assertEquals(Direction.RECVONLY, video.direction());
        assertEquals(Direction.SENDRECV, s.media().get(1).direction());
        assertEquals("PCMU", s.media().get(1).codec(0).name(), "static payload type without rtpmap");
        assertEquals(List.of(), s.bundleMids());
    }

    @Test
    void textThatIsNotSdpIsRejectedWithLineNumber() {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse("hello world\nthis is not sdp"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertTrue(e.getMessage().contains("expected '<letter>=<value>'"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("o=- 1 1 IN IP4 0.0.0.0\nv=0\n"));
        assertTrue(e.getMessage().contains("SDP must start with v=0"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("   "));
        assertTrue(e.getMessage().contains("SDP is empty"), e.getMessage());
    }

    @Test
    void inputOverSixtyFourKibIsRejectedBeforeParsing() {
        String huge = load(CHROME_PRESENTER) + "a=x-padding:" + "x".repeat(70 * 1024) + "\n";
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(huge));
        assertTrue(e.getMessage().contains("larger than 64 KiB"), e.getMessage());
    }

    @Test
    void tooManyLinesOrMediaSectionsAreRejected() {
        String lines = "v=0\n" + "a=x\n".repeat(SdpParser.MAX_LINES);
        assertTrue(assertThrows(SdpException.class, () -> SdpParser.parse(lines)).getMessage()
                .contains("more than 10000 lines"));
        String media = "v=0\n" + "m=audio 9 UDP/TLS/RTP/SAVPF 0\n".repeat(SdpParser.MAX_MEDIA + 1);
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(media));
        assertTrue(e.getMessage().contains("line 34: more than 32 m-lines"), e.getMessage());
    }

    @Test
    void malformedMLineIsRejectedWithLineNumberAndExcerpt() {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\ns=-\nm=video 9\n"));
        assertEquals("line 3: bad m-line, expected 'm=<media> <port> <proto> <fmt list>' (\"m=video 9\")",
                e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\nm=video 70000 UDP/TLS/RTP/SAVPF 96\n"));
        assertTrue(e.getMessage().contains("m-line port 70000 out of range"), e.getMessage());
    }

    @Test
    void payloadTypeOutOfRangeIsRejected() {
        SdpException e = assertThrows(SdpException.class,
                () -> SdpParser.parse("v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96 300\n"));
        assertTrue(e.getMessage().contains("line 2: payload type 300 out of range 0..127"), e.getMessage());
        e = assertThrows(SdpException.class,
                () -> SdpParser.parse("v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=rtpmap:300 VP8/90000\n"));
        assertTrue(e.getMessage().contains("line 3: payload type 300 out of range 0..127"), e.getMessage());
    }

    @Test
    void malformedAttributesAreRejectedWithTheirLine() {
        assertMessage("a=extmap:256 urn:ietf:params:rtp-hdrext:sdes:mid", "extmap id 256 out of range 1..255");
        assertMessage("a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid", "extmap id 0 out of range 1..255");
        assertMessage("a=extmap:3/sideways urn:x", "bad extmap direction");
        assertMessage("a=rtpmap:96 VP8", "bad rtpmap");
        assertMessage("a=rtpmap:96 VP8/fast", "bad clock rate");
        assertMessage("a=ssrc:99999999999 cname:x", "bad ssrc");
        assertMessage("a=candidate:1 1 udp 1 192.0.2.1 99999 typ host", "line 3: malformed candidate (port out of range");
        assertMessage("a=rid:bad!rid send", "bad rid id");
        assertMessage("a=mid", "a=mid needs a value");
    }

    @Test
    void duplicateMidsAndBlankLinesInsideAreRejected() {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(
                "v=0\nm=audio 9 UDP/TLS/RTP/SAVPF 0\na=mid:a\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:a\n"));
        assertTrue(e.getMessage().contains("duplicate mid a"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\n\ns=-\n"));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }

    @Test
    void errorExcerptsNeverExceedEightyCharacters() {
        String longGarbage = "Z".repeat(500) + "\u0000\u001b[31m";
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\n" + longGarbage));
        String quoted = e.getMessage().substring(e.getMessage().indexOf('"') + 1, e.getMessage().lastIndexOf('"'));
        assertEquals(80, quoted.length());
        assertTrue(quoted.endsWith("..."));
        assertEquals("ab?", SdpLine.excerpt("ab\u001b"), "control characters never reach logs");
        SdpException cr = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\ns=-\ra=injected\n"));
        assertTrue(cr.getMessage().contains("line 2: control character"), cr.getMessage());
    }

    private static void assertMessage(String attributeLine, String expected) {
        SdpException e = assertThrows(SdpException.class,
                () -> SdpParser.parse("v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\n" + attributeLine + "\n"));
        assertTrue(e.getMessage().contains(expected), () -> attributeLine + " -> " + e.getMessage());
    }
}
