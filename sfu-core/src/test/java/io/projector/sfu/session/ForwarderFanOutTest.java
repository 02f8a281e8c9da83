package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.dtls.SrtpKeys;
import io.projector.sfu.dtls.SrtpProfile;
import io.projector.sfu.ice.DatagramSender;
import io.projector.sfu.rtp.ExtensionCopy;
import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.TransportSequence;
import io.projector.sfu.srtp.SrtpDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The forwarder's per-viewer path end to end: what each viewer receives, decrypted with that viewer's keys. */
class ForwarderFanOutTest {
  private static final int VIEWERS = 3;
  private static final int PACKETS = 4 * ChromeVideoSource.PACKETS_PER_FRAME;
  /** Ids chrome-viewer.sdp negotiated for its video. */
  private static final int VIEWER_VP8_PAYLOAD_TYPE = 96;
  private static final int VIEWER_ABS_SEND_TIME_ID = 2;
  private static final int VIEWER_TRANSPORT_CC_ID = 3;
  private static final int VIEWER_PLAYOUT_DELAY_ID = 5;

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void everyViewerGetsEveryPacketRewrittenForItAndProtectedWithItsKeys(SrtpProfile profile) {
    List<ViewerInbox> inboxes = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      inboxes.add(new ViewerInbox(ForwardingScenario.keys(profile, 100 + i)));
    }
    ForwardingScenario scenario = new ForwardingScenario(profile, (b, o, l) -> true, List.copyOf(inboxes));
    for (int i = 0; i < PACKETS; i++) {
      scenario.forwardNextPacket();
    }

    assertEquals(VIEWERS * PACKETS, scenario.counters.rtpPacketsOut.sum());
    assertEquals(0, scenario.counters.srtpFailures.sum());
    ChromeVideoSource expected = new ChromeVideoSource(null);
    byte[] source = new byte[ChromeVideoSource.PACKET_BYTES];
    for (int i = 0; i < PACKETS; i++) {
      expected.writePlain(source);
      for (ViewerInbox inbox : inboxes) {
        assertEquals(PACKETS, inbox.received.size());
        assertRewrittenForViewer(source, inbox.received.get(i), i);
      }
    }
  }

  private static void assertRewrittenForViewer(byte[] source, byte[] got, int index) {
    assertEquals(ForwardingScenario.VIDEO_SSRC, RtpHeader.ssrc(got, 0));
    assertEquals(VIEWER_VP8_PAYLOAD_TYPE, RtpHeader.payloadType(got, 0));
    assertEquals(RtpHeader.marker(source, 0), RtpHeader.marker(got, 0));
    // The viewer's stream started with this source: numbering and VP8 ids pass through unchanged.
    assertEquals(RtpHeader.sequenceNumber(source, 0), RtpHeader.sequenceNumber(got, 0));
    assertEquals(RtpHeader.timestamp(source, 0), RtpHeader.timestamp(got, 0));
    assertEquals(index, TransportSequence.read(got, 0, got.length, VIEWER_TRANSPORT_CC_ID),
        "the viewer's own transport-wide numbering, from 0");
    assertElement(got, VIEWER_ABS_SEND_TIME_ID, Arrays.copyOfRange(source, 17, 20));
    int delay = ExtensionCopy.playoutDelay(ViewerSetup.PLAYOUT_DELAY_MIN_MS, ViewerSetup.PLAYOUT_DELAY_MAX_MS);
    assertElement(got, VIEWER_PLAYOUT_DELAY_ID, new byte[] {(byte) (delay >> 16), (byte) (delay >> 8), (byte) delay});
    int sourcePayload = RtpHeader.headerLength(source, 0, source.length);
    int gotPayload = RtpHeader.headerLength(got, 0, got.length);
    assertArrayEquals(Arrays.copyOfRange(source, sourcePayload, source.length),
        Arrays.copyOfRange(got, gotPayload, got.length), "VP8 descriptor and payload");
  }

  private static void assertElement(byte[] packet, int id, byte[] value) {
    long found = HeaderExtensionMap.find(packet, 0, packet.length, id);
    assertTrue(found >= 0, "extension element " + id + " missing");
    int at = HeaderExtensionMap.dataOffset(found);
    assertArrayEquals(value, Arrays.copyOfRange(packet, at, at + HeaderExtensionMap.dataLength(found)));
  }

  /** A viewer's browser: decrypts what it is sent with the keys the SFU protects its packets with. */
  private static final class ViewerInbox implements DatagramSender {
    final SrtpDecoder decoder;
    final List<byte[]> received = new ArrayList<>();

    ViewerInbox(SrtpKeys sfuSide) {
      decoder = new SrtpDecoder(sfuSide.profile(), sfuSide.localKey(), sfuSide.localSalt());
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      byte[] copy = Arrays.copyOfRange(buf, off, off + len);
      int plainLength = decoder.unprotectRtp(copy, 0, copy.length);
      assertTrue(plainLength > 0, "viewer could not decrypt packet: " + plainLength);
      received.add(Arrays.copyOf(copy, plainLength));
      return true;
    }
  }
}
