package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtxTest {
  private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};

  private static byte[] original() {
    return RtpPackets.build(96, 4660, 123456, 0xAAAA, true, new int[][] {{3, 9, 9}}, PAYLOAD);
  }

  @Test
  void wrapKeepsTheHeaderAndPutsTheOriginalSequenceNumberBeforeThePayload() {
    byte[] orig = original();
    byte[] rtx = new byte[orig.length + 2];
    int len = Rtx.wrap(orig, 0, orig.length, rtx, 0, 97, 0xBBBB, 7);
    assertEquals(orig.length + 2, len);
    assertEquals(97, RtpHeader.payloadType(rtx, 0));
    assertEquals(7, RtpHeader.sequenceNumber(rtx, 0));
    assertEquals(0xBBBB, RtpHeader.ssrc(rtx, 0));
    assertEquals(123456, RtpHeader.timestamp(rtx, 0), "RFC 4588: same timestamp as the original");
    assertTrue(RtpHeader.marker(rtx, 0));
    int header = RtpHeader.headerLength(rtx, 0, len);
    assertEquals(RtpHeader.headerLength(orig, 0, orig.length), header, "extensions kept");
    assertEquals(4660, Bytes.readUint16(rtx, header));
    assertEquals(4660, Rtx.originalSequenceNumber(rtx, 0, len));
    assertArrayEquals(PAYLOAD, Arrays.copyOfRange(rtx, header + 2, len));
  }

  @Test
  void unwrapRestoresTheOriginalPacketByteForByte() {
    byte[] orig = original();
    byte[] rtx = new byte[orig.length + 2];
    int len = Rtx.wrap(orig, 0, orig.length, rtx, 0, 97, 0xBBBB, 7);
    byte[] back = new byte[len];
    assertEquals(orig.length, Rtx.unwrap(rtx, 0, len, back, 0, 96, 0xAAAA));
    assertArrayEquals(orig, Arrays.copyOf(back, orig.length));
  }

  @Test
  void wrapAndUnwrapWorkInPlace() {
    byte[] orig = original();
    byte[] buf = new byte[orig.length + 2 + 10];
    System.arraycopy(orig, 0, buf, 3, orig.length);
    int len = Rtx.wrap(buf, 3, orig.length, buf, 3, 97, 0xBBBB, 65535);
    assertEquals(4660, Rtx.originalSequenceNumber(buf, 3, len));
    assertEquals(65535, RtpHeader.sequenceNumber(buf, 3));
    int back = Rtx.unwrap(buf, 3, len, 96, 0xAAAA);
    assertArrayEquals(orig, Arrays.copyOfRange(buf, 3, 3 + back));
  }

  @Test
  void paddingIsDroppedAndAPaddingOnlyProbeHasNothingToRestore() {
    byte[] padded = Arrays.copyOf(original(), original().length + 4);
    padded[0] |= 0x20;
    padded[padded.length - 1] = 4;
    byte[] rtx = new byte[padded.length + 2];
    int len = Rtx.wrap(padded, 0, padded.length, rtx, 0, 97, 0xBBBB, 1);
    assertEquals(original().length + 2, len);
    assertEquals(0, rtx[0] & 0x20, "no padding bit without padding");

    byte[] probe = new byte[12 + 200]; // how browsers probe bandwidth on the RTX SSRC
    probe[0] = (byte) 0xa0;
    probe[1] = 97;
    probe[probe.length - 1] = (byte) 200;
    assertEquals(Rtx.PADDING_ONLY, Rtx.unwrap(probe, 0, probe.length, 96, 0xAAAA));
    assertEquals(-1, Rtx.originalSequenceNumber(probe, 0, probe.length));
  }

  @Test
  void invalidInputOrTooSmallDestinationIsRejectedNotThrown() {
    byte[] orig = original();
    assertEquals(Rtx.INVALID, Rtx.wrap(orig, 0, orig.length, new byte[orig.length + 1], 0, 97, 1, 1));
    assertEquals(Rtx.INVALID, Rtx.wrap(orig, 0, orig.length + 1, new byte[99], 0, 97, 1, 1));
    assertEquals(Rtx.INVALID, Rtx.wrap(orig, 0, 11, new byte[99], 0, 97, 1, 1));
    assertEquals(Rtx.INVALID, Rtx.wrap(orig, 0, orig.length, null, 0, 97, 1, 1));
    byte[] oneByte = RtpPackets.build(97, 1, 1, 1, false, null, new byte[] {9});
    assertEquals(Rtx.INVALID, Rtx.unwrap(oneByte, 0, oneByte.length, 96, 2), "half an OSN");
    Random r = new Random(4588);
    byte[] dst = new byte[64];
    for (int i = 0; i < 10_000; i++) {
      byte[] b = new byte[r.nextInt(40)];
      r.nextBytes(b);
      int len = r.nextInt(50) - 5;
      int off = r.nextInt(4) - 1;
      assertTrue(Rtx.unwrap(b, off, len, dst, 0, 96, 2) >= -1);
      assertTrue(Rtx.wrap(b, off, len, dst, 0, 97, 2, 3) >= -1);
    }
  }
}
