package io.projector.sfu.sdp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdpModelTest {

    private static Codec h264(int pt, String fmtp) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : fmtp.split(";")) {
            params.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return new Codec(pt, "H264", 90000, 1, params, List.of(), -1);
    }

    @Test
    void h264IsTheSameCodecOnlyWithSamePacketizationModeAndProfile() {
        Codec base = h264(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        assertTrue(base.sameCodecAs(h264(125, "packetization-mode=1;profile-level-id=42E034")),
                "level and level-asymmetry-allowed are ignored, case too");
        assertTrue(base.sameCodecAs(h264(99, "packetization-mode=1;profile-level-id=42001f")),
                "only profile_idc (first byte) counts");
        assertFalse(base.sameCodecAs(h264(104, "packetization-mode=0;profile-level-id=42e01f")));
        assertFalse(base.sameCodecAs(h264(116, "packetization-mode=1;profile-level-id=4d001f")));
    }

    @Test
    void otherCodecsCompareNameCaseInsensitivelyWithClockRateAndChannels() {
        Codec opus = new Codec(111, "opus", 48000, 2, Map.of(), List.of(), -1);
        assertTrue(opus.sameCodecAs(new Codec(97, "OPUS", 48000, 2, Map.of("stereo", "1"), List.of("nack"), -1)));
        assertFalse(opus.sameCodecAs(new Codec(97, "opus", 48000, 1, Map.of(), List.of(), -1)));
        assertFalse(opus.sameCodecAs(new Codec(9, "G722", 8000, 1, Map.of(), List.of(), -1)));
        assertFalse(opus.sameCodecAs(null));
    }

    @Test
    void codecRendersItsRtpmapAndFmtpValues() {
        Codec opus = new Codec(111, "opus", 48000, 2, Map.of("minptime", "10"), List.of(), -1);
        assertEquals("opus/48000/2", opus.rtpmapValue());
        assertEquals("minptime=10", opus.fmtpValue());
        Codec vp8 = new Codec(96, "VP8", 90000, 1, Map.of(), List.of(), 97);
        assertEquals("VP8/90000", vp8.rtpmapValue());
        assertNull(vp8.fmtpValue());
        assertTrue(vp8.hasRtx());
        assertThrows(IllegalArgumentException.class, () -> new Codec(128, "VP8", 90000, 1, Map.of(), List.of(), -1));
    }

    @Test
    void directionReversesSendAndReceive() {
        assertEquals(Direction.RECVONLY, Direction.SENDONLY.reverse());
        assertEquals(Direction.SENDONLY, Direction.RECVONLY.reverse());
        assertEquals(Direction.SENDRECV, Direction.SENDRECV.reverse());
        assertEquals(Direction.INACTIVE, Direction.INACTIVE.reverse());
        assertEquals("sendonly", Direction.SENDONLY.attribute());
        assertEquals(Direction.INACTIVE, Direction.fromAttribute("inactive"));
        assertNull(Direction.fromAttribute("sideways"));
    }

    @Test
    void unknownMediaTypesCountAsApplication() {
        assertEquals(MediaKind.VIDEO, MediaKind.fromMediaToken("video"));
        assertEquals(MediaKind.APPLICATION, MediaKind.fromMediaToken("text"));
    }

    @Test
    void candidateParsesBrowserStringsAndKeepsExtensionsVerbatim() throws SdpException {
        String value = "842163049 1 udp 1677729535 198.51.100.7 34211 typ srflx raddr 192.0.2.23 rport 54879 generation 0";
        Candidate c = Candidate.parse("candidate:" + value);
        assertEquals(new Candidate("842163049", 1, "udp", 1677729535L, "198.51.100.7", 34211, "srflx", value), c);
        assertEquals(value, c.toSdpValue());
        assertEquals(c, Candidate.parse("a=candidate:" + value));
        Candidate mdns = Candidate.parse("1 1 udp 2113937151 5c0f7f2e-3f7e-4c43-9d1f-2b8f0e0d9a11.local 51345 typ host");
        assertTrue(mdns.isUdp());
    }

    @Test
    void candidateBuiltByTheSfuSerialisesFromItsFields() {
        Candidate c = new Candidate("1", 1, "udp", 2130706431L, "192.0.2.10", 10000, "host", null);
        assertEquals("1 1 udp 2130706431 192.0.2.10 10000 typ host", c.toSdpValue());
        assertThrows(IllegalArgumentException.class,
                () -> new Candidate("1", 1, "udp", 1, "192.0.2.10\r\na=x", 10000, "host", null));
    }

    @Test
    void malformedCandidatesAreRejectedWithReason() {
        assertCandidateError("1 1 udp 1 192.0.2.1 5", "expected '<foundation>");
        assertCandidateError("1 1 udp 1 192.0.2.1 70000 typ host", "port out of range 0..65535");
        assertCandidateError("1 0 udp 1 192.0.2.1 5 typ host", "component out of range 1..256");
        assertCandidateError("1 1 udp 99999999999 192.0.2.1 5 typ host", "bad priority");
        assertCandidateError("1 1 udp 1 <script> 5 typ host", "bad address");
        assertCandidateError("1 1 udp 1 192.0.2.1 5 typ weird", "unknown candidate type");
        assertCandidateError("x".repeat(2000), "longer than 1024");
    }

    private static void assertCandidateError(String value, String expected) {
        SdpException e = assertThrows(SdpException.class, () -> Candidate.parse(value));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void localParametersRejectValuesThatCouldBreakTheAnswer() {
        LocalParameters ok = SdpTestData.LOCAL;
        assertThrows(IllegalArgumentException.class, () -> new LocalParameters("ab\r\na=x", ok.icePwd(),
                ok.fingerprintSdpValue(), List.of(), ok.sessionId(), null, null));
        assertThrows(IllegalArgumentException.class, () -> new LocalParameters(ok.iceUfrag(), ok.icePwd(),
                ok.fingerprintSdpValue(), List.of(), "12a", null, null));
        assertThrows(IllegalArgumentException.class, () -> new LocalParameters(ok.iceUfrag(), ok.icePwd(),
                ok.fingerprintSdpValue(), List.of(), ok.sessionId(), "cname", "stream id"));
    }
}
