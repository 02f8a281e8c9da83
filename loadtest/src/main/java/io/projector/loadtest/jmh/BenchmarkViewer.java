package io.projector.loadtest.jmh;

import io.projector.sfu.dtls.SrtpProfile;
import io.projector.sfu.forward.LayerSelector;
import io.projector.sfu.forward.OutboundStream;
import io.projector.sfu.forward.ViewerPacketWriter;
import io.projector.sfu.forward.Vp8Rewriter;
import io.projector.sfu.rtp.ExtensionCopy;
import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.srtp.SrtpEncoder;
import java.util.Arrays;

/**
 * One viewer's forwarding state, made of the production classes and configured as the SFU's ViewerSetup
 * configures a Chrome viewer (sfu-core test resource sdp/chrome-viewer.sdp): VP8 as payload type 96,
 * abs-send-time passed on (id 2 on both sides), the presenter's transport-wide-cc number dropped, the SFU's own
 * playout-delay (id 5) and transport-wide-cc (id 3) elements added, and SRTP keys of its own.
 */
final class BenchmarkViewer {
  static final long VIDEO_SSRC = 0x11223344L;
  private static final int VIEWER_VP8_PAYLOAD_TYPE = 96;
  private static final int VIEWER_ABS_SEND_TIME_ID = 2;
  private static final int VIEWER_TRANSPORT_CC_ID = 3;
  private static final int VIEWER_PLAYOUT_DELAY_ID = 5;

  final OutboundStream video = new OutboundStream(VIDEO_SSRC, true);
  final Vp8Rewriter vp8 = new Vp8Rewriter();
  final SrtpEncoder encoder;
  final ViewerPacketWriter writer;

  BenchmarkViewer(SrtpProfile profile, int number) {
    int[] payloadTypes = new int[128];
    Arrays.fill(payloadTypes, -1);
    payloadTypes[ChromeVp8Packet.PAYLOAD_TYPE] = VIEWER_VP8_PAYLOAD_TYPE;
    video.configure(payloadTypes,
        new HeaderExtensionMap().map(ChromeVp8Packet.ABS_SEND_TIME_ID, VIEWER_ABS_SEND_TIME_ID));
    video.addExtension(VIEWER_PLAYOUT_DELAY_ID, ExtensionCopy.playoutDelay(0, 0));
    video.addTransportSequence(VIEWER_TRANSPORT_CC_ID);
    byte[] key = new byte[profile.keyLength()];
    byte[] salt = new byte[profile.saltLength()];
    Arrays.fill(key, (byte) number);
    Arrays.fill(salt, (byte) (number * 7));
    encoder = new SrtpEncoder(profile, key, salt);
    writer = new ViewerPacketWriter(encoder);
  }

  /**
   * What the Forwarder does for this viewer with one presenter VP8 packet (Forwarder#forwardVideoTo without the
   * layer choice and the send): VP8 admission, then the writer's copy, rewrite, numbering and SRTP protect.
   *
   * @return the protected length in sendBuffer, or a negative code when the packet was not forwarded
   */
  int forward(ChromeVp8Packet packet, byte[] sendBuffer) {
    int admitted = vp8.admit(packet.buf, 0, ChromeVp8Packet.LENGTH, ChromeVp8Packet.SSRC, LayerSelector.ALL_TEMPORAL);
    if (admitted < 0) {
      return admitted;
    }
    return writer.write(video, vp8, packet.buf, ChromeVp8Packet.LENGTH, packet.keyframeStart(), sendBuffer);
  }
}
