package io.projector.loadtest.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.sdp.Candidate;
import io.projector.sfu.sdp.Codec;
import io.projector.sfu.sdp.Direction;
import io.projector.sfu.sdp.HeaderExtension;
import io.projector.sfu.sdp.MediaDescription;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import io.projector.sfu.sdp.SsrcGroup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SDP captured from Janus 1.1.2 (Debian package) running bench/fanout's configuration: its answer to the
 * Chrome presenter offer of the signaling tests (candidates replaced by one host candidate), and its offer to a
 * subscriber of a Chromium publisher. sfu-core's strict parser must read both, and the load generator's peer
 * relies on exactly these fields.
 */
class JanusSdpFixturesTest {
  private static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
  private static final String ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

  static String fixture(String name) throws IOException {
    try (InputStream in = JanusSdpFixturesTest.class.getResourceAsStream("/sdp/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void publisherAnswerIsDtlsClientWithOneHostCandidateAndNoRtxStream() throws Exception {
    SessionDescription answer = SdpParser.parse(fixture("janus-publisher-answer.sdp"));

    assertEquals(List.of("0", "1"), answer.bundleMids());
    assertFalse(answer.iceLite(), "Janus runs full ICE");
    assertEquals("685p", answer.effectiveIceUfrag());
    assertEquals("1EAUQb4kW1c/M3dinQ/YzY", answer.effectiveIcePwd());
    assertTrue(answer.effectiveFingerprint().startsWith("sha-256 C3:34:DD:F5"), answer.effectiveFingerprint());
    assertEquals("active", answer.effectiveSetup(), "Janus answers actpass as the DTLS client");

    MediaDescription video = answer.media().get(0);
    assertEquals(MediaKind.VIDEO, video.kind());
    assertEquals(Direction.RECVONLY, video.direction());
    assertTrue(video.rtcpMux());
    assertFalse(video.rtcpRsize());
    assertEquals(List.of(new Candidate("1", 1, "udp", 2015363583L, "10.77.0.1", 36961, "host",
        "1 1 udp 2015363583 10.77.0.1 36961 typ host")), video.candidates());
    Codec vp8 = video.codecs().get(0);
    assertEquals(List.of(96), video.codecs().stream().map(Codec::payloadType).toList());
    assertEquals("VP8", vp8.name());
    assertEquals(97, vp8.rtxPayloadType(), "Janus accepts the presenter's RTX");
    assertEquals(List.of("ccm fir", "nack", "nack pli", "goog-remb", "transport-cc"), vp8.rtcpFeedback());
    assertEquals(List.of(9, 10, 11), video.extensions().stream().map(HeaderExtension::id).toList());
    assertEquals(List.of(1496932495L), video.ssrcs(), "the SSRC Janus' receiver reports come from");

    MediaDescription audio = answer.media().get(1);
    assertEquals(MediaKind.AUDIO, audio.kind());
    assertEquals("opus", audio.codecs().get(0).name());
    assertEquals(111, audio.codecs().get(0).payloadType());
    assertEquals(List.of(new HeaderExtension(9, MID_URI)), audio.extensions());
  }

  @Test
  void subscriberOfferIsActpassWithVp8RtxAndJanusOwnSsrcs() throws Exception {
    SessionDescription offer = SdpParser.parse(fixture("janus-subscriber-offer.sdp"));

    assertEquals(List.of("0", "1"), offer.bundleMids());
    assertFalse(offer.iceLite());
    assertEquals("ThDo", offer.effectiveIceUfrag());
    assertEquals("NItfiScJyDxMxYK3482Fxd", offer.effectiveIcePwd());
    assertTrue(offer.effectiveFingerprint().startsWith("sha-256 C3:34:DD:F5"), offer.effectiveFingerprint());
    assertEquals("actpass", offer.effectiveSetup());

    // The m-line order follows the publisher's offer (Chromium put audio first).
    MediaDescription audio = offer.media().get(0);
    assertEquals(MediaKind.AUDIO, audio.kind());
    assertEquals(Direction.SENDONLY, audio.direction());
    assertEquals(111, audio.codecs().get(0).payloadType());
    assertEquals(List.of(3874635811L), audio.ssrcs());

    MediaDescription video = offer.media().get(1);
    assertEquals(MediaKind.VIDEO, video.kind());
    assertEquals("1", video.mid());
    assertEquals(Direction.SENDONLY, video.direction());
    assertTrue(video.rtcpMux());
    assertEquals(1, video.candidates().size());
    assertEquals("10.77.0.1", video.candidates().get(0).address());
    assertEquals(30980, video.candidates().get(0).port());
    assertEquals(List.of(96), video.codecs().stream().map(Codec::payloadType).toList());
    Codec vp8 = video.codecs().get(0);
    assertEquals("VP8", vp8.name());
    assertEquals(97, vp8.rtxPayloadType());
    assertEquals(List.of("ccm fir", "nack", "nack pli", "goog-remb", "transport-cc"), vp8.rtcpFeedback());
    assertEquals(List.of(new SsrcGroup("FID", List.of(1409832926L, 1638131539L))), video.ssrcGroups());
    assertEquals(List.of(1409832926L, 1638131539L), video.ssrcs());
    assertEquals(List.of(new HeaderExtension(2, ABS_SEND_TIME_URI), new HeaderExtension(4, MID_URI)),
        video.extensions());
  }
}
