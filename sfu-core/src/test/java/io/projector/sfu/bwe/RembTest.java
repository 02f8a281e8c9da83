package io.projector.sfu.bwe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtcp.RtcpHeader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RembTest {
  private final byte[] buf = new byte[256];

  @Test
  void writesTheDraftLayoutByteForByte() {
    int n = Remb.write(buf, 0, 0x01020304L, 1_000_000, 0xAABBCCDDL);
    // 1 000 000 needs 20 bits: exponent 2, mantissa 250 000 = 0x3D090
    byte[] expected = TransportCcParserTest.bytes(
        0x8F, 0xCE, 0x00, 0x05, // V=2, FMT=15 (AFB) | PT=206 (PSFB) | length 5 (24 bytes / 4 - 1)
        0x01, 0x02, 0x03, 0x04, // SSRC of packet sender
        0x00, 0x00, 0x00, 0x00, // SSRC of media source: unused, 0
        'R', 'E', 'M', 'B',
        0x01, 0x0B, 0xD0, 0x90, // Num SSRC 1 | exp 2 (000010) mantissa 0x3D090 (11 1101 0000 1001 0000)
        0xAA, 0xBB, 0xCC, 0xDD); // SSRC feedback
    assertArrayEquals(expected, Arrays.copyOf(buf, n));
    assertTrue(RtcpHeader.isValidCompound(buf, 0, n));
  }

  @Test
  void roundTripsLargeBitratesThroughMantissaAndExponent() {
    long[] rates = {0, 1, 262_143, 262_144, 2_500_000, 30_000_000, 123_456_789_012L, (1L << 62) + 12345};
    for (long bps : rates) {
      int n = Remb.write(buf, 8, 7, bps, 9);
      long parsed = Remb.bitrateBps(buf, 8, n);
      assertTrue(parsed <= bps, "never more than written: " + bps);
      assertTrue(bps - parsed <= bps >>> 17, "within 2^-17 of " + bps + ": " + parsed);
    }
    Remb.write(buf, 0, 7, 262_143, 9);
    assertEquals(262_143, Remb.bitrateBps(buf, 0, 24), "18-bit mantissa, exponent 0: exact");
  }

  @Test
  void carriesAListOfSsrcs() {
    long[] ssrcs = {1, 0xFFFFFFFFL, 42};
    int n = Remb.write(buf, 4, 5, 800_000, ssrcs, 3);
    assertEquals(Remb.length(3), n);
    assertTrue(Remb.isRemb(buf, 4, n));
    assertEquals(3, Remb.ssrcCount(buf, 4));
    for (int i = 0; i < 3; i++) {
      assertEquals(ssrcs[i], Remb.ssrc(buf, 4, i));
    }
  }

  @Test
  void rejectsWhatIsNotAWellFormedRemb() {
    int n = Remb.write(buf, 0, 7, 1_000_000, 9);
    byte[] p = Arrays.copyOf(buf, n);
    assertEquals(-1, Remb.bitrateBps(p, 0, n - 4), "truncated");
    p[12] = 'X';
    assertEquals(-1, Remb.bitrateBps(p, 0, n), "identifier");
    p = Arrays.copyOf(buf, n);
    p[16] = 2;
    assertEquals(-1, Remb.bitrateBps(p, 0, n), "SSRC count larger than the packet");
    p = Arrays.copyOf(buf, n);
    p[0] = (byte) 0x81;
    assertEquals(-1, Remb.bitrateBps(p, 0, n), "FMT 1 is a PLI");
    p = Arrays.copyOf(buf, n);
    p[17] = (byte) 0xFF; // exponent 63 with a non-zero mantissa overflows a long
    assertEquals(-1, Remb.bitrateBps(p, 0, n));
    assertFalse(Remb.isRemb(null, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Remb.write(buf, 0, 1, -1, 2));
  }
}
