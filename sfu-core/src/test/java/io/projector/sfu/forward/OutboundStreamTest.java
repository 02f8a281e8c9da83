package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.RtpPackets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutboundStreamTest {
  private static final byte[] KEY = {0x10, 0x00};
  private static final byte[] DELTA = {0x10, 0x01};

  private static OutboundStream videoStream() {
    int[] pt = new int[128];
    Arrays.fill(pt, -1);
    pt[96] = 120;
    OutboundStream s = new OutboundStream(5555, true);
    s.configure(pt, new HeaderExtensionMap());
    return s;
  }

  @Test
  void holdsVideoBackUntilAKeyframeThenRewritesToTheViewersIds() {
    OutboundStream s = videoStream();
    byte[] delta = RtpPackets.build(96, 100, 9000, 1, false, null, DELTA);
    assertFalse(s.rewrite(delta, 0, delta.length, false));
    assertTrue(s.awaitingKeyframe());

    byte[] key = RtpPackets.build(96, 101, 12000, 1, false, null, KEY);
    assertTrue(s.rewrite(key, 0, key.length, true));
    assertFalse(s.awaitingKeyframe());
    assertEquals(120, RtpHeader.payloadType(key, 0));
    assertEquals(5555, RtpHeader.ssrc(key, 0));
    assertEquals(101, RtpHeader.sequenceNumber(key, 0));
  }

  @Test
  void keepsSequenceAndTimestampContinuousWhenThePresenterReconnects() {
    OutboundStream s = videoStream();
    byte[] a = RtpPackets.build(96, 65535, 1000, 1, false, null, KEY);
    assertTrue(s.rewrite(a, 0, a.length, true));
    byte[] b = RtpPackets.build(96, 0, 4000, 1, false, null, DELTA);
    assertTrue(s.rewrite(b, 0, b.length, false));
    assertEquals(0, RtpHeader.sequenceNumber(b, 0), "wraps like the source");

    // New presenter connection: another SSRC, unrelated numbering. Deltas are held back.
    byte[] c = RtpPackets.build(96, 30000, 777777, 2, false, null, DELTA);
    assertFalse(s.rewrite(c, 0, c.length, false));
    assertTrue(s.awaitingKeyframe(), "switch waits for the new source's keyframe");
    byte[] d = RtpPackets.build(96, 30001, 780777, 2, false, null, KEY);
    assertTrue(s.rewrite(d, 0, d.length, true));
    assertEquals(1, RtpHeader.sequenceNumber(d, 0), "continues right after the last sent");
    assertEquals(4000 + 3000, RtpHeader.timestamp(d, 0));
    byte[] e = RtpPackets.build(96, 30002, 783777, 2, false, null, DELTA);
    assertTrue(s.rewrite(e, 0, e.length, false));
    assertEquals(2, RtpHeader.sequenceNumber(e, 0));
    assertEquals(10000, RtpHeader.timestamp(e, 0));
  }

  @Test
  void audioNeedsNoKeyframeAndUnknownCodecsAreNotAccepted() {
    int[] pt = new int[128];
    Arrays.fill(pt, -1);
    pt[111] = 109;
    OutboundStream s = new OutboundStream(7, false);
    s.configure(pt, new HeaderExtensionMap());
    assertTrue(s.accepts(111));
    assertFalse(s.accepts(96));
    byte[] a = RtpPackets.build(111, 5, 960, 3, false, null, new byte[] {1});
    assertTrue(s.rewrite(a, 0, a.length, false));
    assertEquals(109, RtpHeader.payloadType(a, 0));
    assertFalse(s.awaitingKeyframe());
  }
}
