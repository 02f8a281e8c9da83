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
  private final byte[] out = new byte[1500];
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
    assertEquals(-1, s.copyOut(delta, delta.length, out, false));
    assertTrue(s.awaitingKeyframe());

    byte[] key = RtpPackets.build(96, 101, 12000, 1, false, null, KEY);
    assertEquals(key.length, s.copyOut(key, key.length, out, true));
    assertFalse(s.awaitingKeyframe());
    assertEquals(120, RtpHeader.payloadType(out, 0));
    assertEquals(5555, RtpHeader.ssrc(out, 0));
    assertEquals(101, RtpHeader.sequenceNumber(out, 0));
  }

  @Test
  void keepsSequenceAndTimestampContinuousWhenThePresenterReconnects() {
    OutboundStream s = videoStream();
    byte[] a = RtpPackets.build(96, 65535, 1000, 1, false, null, KEY);
    assertEquals(a.length, s.copyOut(a, a.length, out, true));
    byte[] b = RtpPackets.build(96, 0, 4000, 1, false, null, DELTA);
    assertEquals(b.length, s.copyOut(b, b.length, out, false));
    assertEquals(0, RtpHeader.sequenceNumber(out, 0), "wraps like the source");

    // New presenter connection: another SSRC, unrelated numbering. Deltas are held back.
    byte[] c = RtpPackets.build(96, 30000, 777777, 2, false, null, DELTA);
    assertEquals(-1, s.copyOut(c, c.length, out, false));
    assertTrue(s.awaitingKeyframe(), "switch waits for the new source's keyframe");
    byte[] d = RtpPackets.build(96, 30001, 780777, 2, false, null, KEY);
    assertEquals(d.length, s.copyOut(d, d.length, out, true));
    assertEquals(1, RtpHeader.sequenceNumber(out, 0), "continues right after the last sent");
    assertEquals(4000 + 3000, RtpHeader.timestamp(out, 0));
    byte[] e = RtpPackets.build(96, 30002, 783777, 2, false, null, DELTA);
    assertEquals(e.length, s.copyOut(e, e.length, out, false));
    assertEquals(2, RtpHeader.sequenceNumber(out, 0));
    assertEquals(10000, RtpHeader.timestamp(out, 0));
  }

  @Test
  void addsThePlayoutDelayElementAndLeavesTheSourceUntouchedForTheNextViewer() {
    OutboundStream s = videoStream();
    s.addExtension(5, io.projector.sfu.rtp.ExtensionCopy.playoutDelay(0, 0));
    byte[] src = RtpPackets.build(96, 1, 2, 3, false, new int[][] {{3, 1, 2, 3}}, KEY);
    byte[] before = src.clone();
    int len = s.copyOut(src, src.length, out, true);
    assertEquals(src.length + 4, len);
    assertTrue(io.projector.sfu.rtp.RtpHeader.isValid(out, 0, len));
    long found = io.projector.sfu.rtp.HeaderExtensionMap.find(out, 0, len, 5);
    assertEquals(3, io.projector.sfu.rtp.HeaderExtensionMap.dataLength(found));
    assertEquals(-1, io.projector.sfu.rtp.HeaderExtensionMap.find(out, 0, len, 3), "unmapped id blanked");
    assertEquals(KEY[0], out[len - 2]);
    assertTrue(java.util.Arrays.equals(before, src));

    byte[] bare = RtpPackets.build(96, 2, 3, 3, false, null, DELTA);
    int bareLen = s.copyOut(bare, bare.length, out, false);
    assertEquals(bare.length + 8, bareLen, "a new extension block: preamble + element");
    assertTrue(io.projector.sfu.rtp.HeaderExtensionMap.find(out, 0, bareLen, 5) >= 0);
    assertEquals(DELTA[1], out[bareLen - 1]);
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
    assertEquals(a.length, s.copyOut(a, a.length, out, false));
    assertEquals(109, RtpHeader.payloadType(out, 0));
    assertFalse(s.awaitingKeyframe());
  }
}
