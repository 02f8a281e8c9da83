package io.projector.sfu.sdp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpFragParserTest {

    @Test
    void whipTrickleFragmentGivesCredentialsCandidatesAndEnd() throws SdpException {
        IceFragment f = SdpFragParser.parse(SdpTestData.load("whip-trickle.sdpfrag"));
        assertEquals("EsAw", f.iceUfrag());
        assertEquals("P2uYro0UCOQ4zxjKXaWCBui1", f.icePwd());
        assertTrue(f.endOfCandidates());
        assertEquals(3, f.candidates().size());
        Candidate first = f.candidates().get(0);
        assertEquals("192.0.2.1", first.address());
        assertEquals(61764, first.port());
        assertEquals(2122260223L, first.priority());
        assertEquals("host", first.type());
        assertEquals("tcp", f.candidates().get(2).transport());
    }

    @Test
    void fragmentWithOnlyEndOfCandidatesIsValidAndCrlfIsAccepted() throws SdpException {
        IceFragment f = SdpFragParser.parse("a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=mid:0\r\na=end-of-candidates\r\n");
        assertEquals(List.of(), f.candidates());
        assertTrue(f.endOfCandidates());
    }

    @Test
    void candidateWithoutUfragLeavesItNullAndEndOfCandidatesFalse() throws SdpException {
        IceFragment f = SdpFragParser.parse("a=candidate:1 1 UDP 2015363327 192.0.2.77 42613 typ host\n");
        assertNull(f.iceUfrag());
        assertFalse(f.endOfCandidates());
        assertEquals(1, f.candidates().size());
    }

    @Test
    void abusiveOrMalformedFragmentsAreRejected() {
        String c = "a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host\n";
        assertMessage(c.repeat(SdpFragParser.MAX_CANDIDATES + 1), "more than 200 candidates");
        assertMessage("a=x-pad:" + "x".repeat(17 * 1024), "larger than 16 KiB");
        assertMessage("", "trickle-ice-sdpfrag is empty");
        assertMessage("hello", "line 1: expected '<letter>=<value>'");
        assertMessage("a=ice-ufrag:abcd\na=candidate:1 1 udp 1 192.0.2.1 5 typ nonsense\n",
                "line 2: malformed candidate (unknown candidate type)");
        assertMessage("a=ice-ufrag:abcd\nm=audio 9 RTP/AVP 0\na=ice-ufrag:efgh\n", "line 3: conflicting a=ice-ufrag");
    }

    private static void assertMessage(String body, String expected) {
        SdpException e = assertThrows(SdpException.class, () -> SdpFragParser.parse(body));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
