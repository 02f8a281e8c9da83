package io.projector.sfu.bwe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportCcParserTest {
  /**
   * One feedback laid out by hand after draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: 40 statuses
   * from sequence number 65530 (wrapping to 0 on the 7th), with one chunk of each kind and P-bit padding.
   */
  static final byte[] EXAMPLE = bytes(
      0xAF, 0xCD, 0x00, 0x0F, // V=2, P=1, FMT=15 | PT=205 (RTPFB) | length 15 words = 64 bytes
      0x01, 0x02, 0x03, 0x04, // SSRC of packet sender
      0xAA, 0xBB, 0xCC, 0xDD, // SSRC of media source
      0xFF, 0xFA, 0x00, 0x28, // base sequence number 65530 | packet status count 40
      0x00, 0x03, 0xE8, 0x01, // reference time 1000 (x 64 ms = 64 s) | feedback packet count 1
      // Chunk 1, status vector T=1 S=0, 14 one-bit symbols (1 = received, small delta):
      // 1 0 1 1 0 0 1 1 1 1 0 1 1 1 -> 10 10110011110111 = 0xACF7 (10 received, 4 lost)
      0xAC, 0xF7,
      // Chunk 2, run length T=0 S=01 (received, small delta), run 20 -> 0 01 0000000010100 = 0x2014
      0x20, 0x14,
      // Chunk 3, status vector T=1 S=1, two-bit symbols 2 1 0 2 1 1 (+ one unused slot):
      // 11 10 01 00 10 01 01 00 = 0xE494 (2 = received, large or negative delta; 0 = not received)
      0xE4, 0x94,
      // Receive deltas in 250 us ticks, one per received packet, the first relative to the reference time.
      // Chunk 1's ten: 1 ms, 2 ms, 63.75 ms (largest 1-byte), 0, 0.25 ms, 4 ms, 1 ms, 25 ms, 1 ms, 1 ms.
      0x04, 0x08, 0xFF, 0x00, 0x01, 0x10, 0x04, 0x64, 0x04, 0x04,
      // Chunk 2's twenty: 1 ms each.
      0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04,
      0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04,
      // Chunk 3's five: +250 ms (2 bytes), 1 ms, -10 ms (2 bytes, signed: arrived before its predecessor),
      // 1 ms, 1 ms.
      0x03, 0xE8, 0x04, 0xFF, 0xD8, 0x04, 0x04,
      0x01); // 63 bytes so far: one byte of padding, whose last (only) byte counts it

  /** Symbol of each status in EXAMPLE (0 lost, 1 small, 2 large) and its delta in ticks. */
  static final int[] SYMBOLS = {1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      2, 1, 0, 2, 1, 1};
  static final int[] TICKS = {4, 0, 8, 255, 0, 0, 0, 1, 16, 4, 0, 100, 4, 4,
      4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
      1000, 4, 0, -40, 4, 4};
  static final long REFERENCE_US = 1000 * 64_000L;

  /** Arrival time of each status in EXAMPLE, or -1 when lost. */
  static long[] exampleArrivalsUs() {
    long[] arrivals = new long[SYMBOLS.length];
    long t = REFERENCE_US;
    for (int i = 0; i < SYMBOLS.length; i++) {
      if (SYMBOLS[i] == 0) {
        arrivals[i] = -1;
      } else {
        t += TICKS[i] * 250L;
        arrivals[i] = t;
      }
    }
    return arrivals;
  }

  @Test
  void parsesTheHandBuiltExampleFromTheDraftLayout() {
    CollectingListener c = new CollectingListener();
    assertTrue(TransportCcParser.parse(EXAMPLE, 0, EXAMPLE.length, c));
    assertEquals(0x01020304L, c.senderSsrc);
    assertEquals(0xAABBCCDDL, c.mediaSsrc);
    assertEquals(65530, c.baseSeq);
    assertEquals(40, c.statusCount);
    assertEquals(1000, c.referenceTime);
    assertEquals(1, c.feedbackCount);
    long[] arrivals = exampleArrivalsUs();
    for (int i = 0; i < 40; i++) {
      assertEquals((65530 + i) & 0xffff, c.seqs.get(i));
      assertEquals(SYMBOLS[i] != 0, c.received.get(i), "status " + i);
      assertEquals(SYMBOLS[i] != 0 ? arrivals[i] : 0, c.arrivalsUs.get(i), "arrival " + i);
    }
  }

  @Test
  void theRecorderWritesTheExampleByteForByte() {
    TransportCcRecorder r = new TransportCcRecorder();
    r.onPacket(65529, REFERENCE_US - 5_000); // an earlier feedback, so the example's count is 1
    byte[] buf = new byte[1500];
    assertEquals(24, r.writeFeedback(buf, 0, 0x01020304L, 0xAABBCCDDL, 0));
    long[] arrivals = exampleArrivalsUs();
    for (int i = 0; i < arrivals.length; i++) {
      if (arrivals[i] >= 0) {
        r.onPacket((65530 + i) & 0xffff, arrivals[i]);
      }
    }
    int n = r.writeFeedback(buf, 100, 0x01020304L, 0xAABBCCDDL, 0);
    assertArrayEquals(EXAMPLE, Arrays.copyOfRange(buf, 100, 100 + n));
  }

  @Test
  void acceptsZeroPaddingWithoutThePaddingBit() {
    byte[] p = EXAMPLE.clone();
    p[0] = (byte) 0x8F;
    p[63] = 0;
    CollectingListener c = new CollectingListener();
    assertTrue(TransportCcParser.parse(p, 0, p.length, c));
    assertEquals(40, c.seqs.size());
  }

  @Test
  void rejectsMalformedPacketsWithoutCallingTheListener() {
    assertRejected(Arrays.copyOf(EXAMPLE, 60), "truncated: length field says 64");
    byte[] p = EXAMPLE.clone();
    p[1] = (byte) 206;
    assertRejected(p, "payload-specific feedback, not RTPFB");
    p = EXAMPLE.clone();
    p[0] = (byte) 0xA1;
    assertRejected(p, "FMT 1 is a NACK");
    p = EXAMPLE.clone();
    p[14] = 0;
    p[15] = 0;
    assertRejected(p, "status count 0");
    p = EXAMPLE.clone();
    p[15] = 41;
    assertTrue(TransportCcParser.parse(p, 0, p.length, new CollectingListener()), "chunk 3's unused 7th slot");
    p[15] = 42;
    assertRejected(p, "one status more than the chunks and deltas hold");
    p = EXAMPLE.clone();
    p[24] = (byte) 0xF4; // chunk 3's first symbol 2 -> 3, which is reserved
    assertRejected(p, "reserved symbol");
    p = EXAMPLE.clone();
    p[63] = 0;
    assertRejected(p, "P bit with a zero padding count");
    p = EXAMPLE.clone();
    p[63] = 60;
    assertRejected(p, "padding count larger than the payload");
    p = EXAMPLE.clone();
    p[0] = (byte) 0x8F; // no P bit: the last byte must then be zero padding
    assertRejected(p, "junk after the deltas");
    p = EXAMPLE.clone();
    p[15] = 30; // ten statuses fewer: the deltas of chunk 3 become 8 trailing bytes
    assertRejected(p, "more than 3 bytes after the deltas");
    assertFalse(TransportCcParser.parse(EXAMPLE, 10, EXAMPLE.length, new CollectingListener()), "out of bounds");
    assertFalse(TransportCcParser.parse(null, 0, 0, new CollectingListener()));
  }

  @Test
  void neverThrowsOnRandomBytes() {
    Random random = new Random(1);
    CollectingListener c = new CollectingListener();
    for (int i = 0; i < 20_000; i++) {
      byte[] p = i % 2 == 0 ? new byte[random.nextInt(80)] : EXAMPLE.clone();
      if (i % 2 == 0) {
        random.nextBytes(p);
      } else {
        p[random.nextInt(p.length)] = (byte) random.nextInt(256); // one corrupted byte
      }
      TransportCcParser.parse(p, 0, p.length, c);
    }
  }

  @Test
  void unwrapsTheReferenceTimeAcrossItsTwentyFourBitWrap() {
    long t = TransportCcParser.unwrapReferenceTime(Long.MIN_VALUE, 0xFFFFFE);
    assertEquals(0xFFFFFE, t);
    t = TransportCcParser.unwrapReferenceTime(t, 0x000001);
    assertEquals(0x1000001L, t, "forward across the wrap");
    t = TransportCcParser.unwrapReferenceTime(t, 0xFFFFFF);
    assertEquals(0xFFFFFFL, t, "and back, for a reordered feedback");
  }

  private static void assertRejected(byte[] p, String why) {
    CollectingListener c = new CollectingListener();
    assertFalse(TransportCcParser.parse(p, 0, p.length, c), why);
    assertEquals(0, c.headers, why);
    assertTrue(c.seqs.isEmpty(), why);
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
