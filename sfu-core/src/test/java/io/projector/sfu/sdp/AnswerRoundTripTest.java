package io.projector.sfu.sdp;

import static io.projector.sfu.sdp.SdpTestData.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our own parser must read back from the answer text exactly what the answer model claims. */
class AnswerRoundTripTest {

    static Stream<Arguments> offers() {
        return Stream.of(Arguments.of(CHROME_PRESENTER, PeerRole.PRESENTER),
                Arguments.of(CHROME_SIMULCAST, PeerRole.PRESENTER),
                Arguments.of(FIREFOX_PRESENTER, PeerRole.PRESENTER),
                Arguments.of(GSTREAMER_PRESENTER, PeerRole.PRESENTER),
                Arguments.of(CHROME_VIEWER, PeerRole.VIEWER));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("offers")
    void parsingOurAnswerGivesBackTheNegotiatedCodecsAndExtensions(String fixture, PeerRole role) throws SdpException {
        SessionDescription offer = parse(fixture);
        Answer answer = AnswerBuilder.answer(offer, role, LOCAL, role == PeerRole.VIEWER ? ssrcs() : null);
        SessionDescription parsed = SdpParser.parse(answer.sdp());

        assertEquals(offer.media().size(), parsed.media().size(), "one answer m-line per offer m-line");
        assertEquals(answer.media().stream().filter(NegotiatedMedia::accepted).map(NegotiatedMedia::mid).toList(),
                parsed.bundleMids());
        assertEquals(LOCAL.iceUfrag(), parsed.effectiveIceUfrag());
        assertEquals(LOCAL.icePwd(), parsed.effectiveIcePwd());
        assertEquals(LOCAL.fingerprintSdpValue(), parsed.effectiveFingerprint());
        assertEquals("passive", parsed.effectiveSetup());
        for (NegotiatedMedia n : answer.media()) {
            MediaDescription m = parsed.media().get(n.index());
            assertEquals(n.mid(), m.mid());
            assertEquals(offer.media().get(n.index()).media(), m.media());
            if (!n.accepted()) {
                assertEquals(0, m.port());
                continue;
            }
            assertEquals(n.codecs(), m.codecs());
            assertEquals(n.extensions(), m.extensions());
            assertEquals(n.localDirection(), m.direction());
            assertEquals(n.rids().isEmpty(), m.simulcast() == null);
            assertTrue(m.rtcpMux());
            boolean rtx = n.kind() == MediaKind.VIDEO && n.codecs().stream().anyMatch(Codec::hasRtx);
            assertEquals(n.localSsrc() == 0 ? java.util.List.of()
                    : rtx ? java.util.List.of(n.localSsrc(), AnswerBuilder.rtxSsrc(n.localSsrc()))
                    : java.util.List.of(n.localSsrc()), m.ssrcs());
        }
    }
}
