package io.projector.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.Bytes;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NackTest {
  private static final long SENDER = 0x11111111L;
  private static final long MEDIA = 0xCAFEBABEL;

  /** A NACK written by hand, with the given (PID, BLP) entries. */
  private static byte[] nack(int... pidBlp) {
    byte[] b = new byte[12 + 2 * pidBlp.length];
    b[0] = (byte) 0x81;
    b[1] = (byte) 205;
    Bytes.writeUint16(b, 2, b.length / 4 - 1);
    Bytes.writeUint32(b, 4, SENDER);
    Bytes.writeUint32(b, 8, MEDIA);
    for (int i = 0; i < pidBlp.length; i++) {
      Bytes.writeUint16(b, 12 + 2 * i, pidBlp[i]);
    }
    return b;
  }

  private static int[] parse(byte[] b) {
    int[] out = new int[256];
    int n = Nack.parse(b, 0, b.length, out);
    return n < 0 ? null : Arrays.copyOf(out, n);
  }

  @Test
  void eachBlpBitNamesTheSequenceNumberThatManyAfterThePid() {
    assertArrayEquals(new int[] {100, 101, 103, 116}, parse(nack(100, 0b1000_0000_0000_0101)));
    assertArrayEquals(new int[] {65534, 65535, 0, 14}, parse(nack(65534, 0b1000_0000_0000_0011)), "wraps");
    assertArrayEquals(new int[] {7, 9}, parse(nack(7, 0, 9, 0)), "several entries, empty BLPs");
  }

  @Test
  void writePacksAPidAndItsSixteenFollowersIntoOneEntry() {
    int[] seqs = new int[17];
    for (int i = 0; i < 17; i++) {
      seqs[i] = 1000 + i;
    }
    byte[] buf = new byte[1500];
    int len = Nack.write(buf, 0, SENDER, MEDIA, seqs, seqs.length);
    assertEquals(16, len, "header + one FCI");
    assertEquals(len, RtcpHeader.packetLength(buf, 0, len));
    assertTrue(Nack.isNack(buf, 0));
    assertEquals(SENDER, RtcpHeader.senderSsrc(buf, 0));
    assertEquals(MEDIA, RtcpHeader.mediaSsrc(buf, 0));
    assertEquals(1000, Bytes.readUint16(buf, 12));
    assertEquals(0xffff, Bytes.readUint16(buf, 14));
    assertArrayEquals(seqs, parse(Arrays.copyOf(buf, len)));
  }

  @Test
  void writeThenParseGivesBackTheSameNumbersAcrossTheWrap() {
    int[] seqs = {65520, 65530, 65531, 65535, 0, 3, 9, 10, 40, 41, 300};
    byte[] buf = new byte[1500];
    int len = Nack.write(buf, 4, SENDER, MEDIA, seqs, seqs.length);
    assertEquals(12 + 4 * 4, len, "entries 65520 (up to 0), 3 (up to 10), 40 (and 41), 300");
    int[] out = new int[64];
    int n = Nack.parse(buf, 4, len, out);
    assertArrayEquals(seqs, Arrays.copyOf(out, n));
  }

  @Test
  void unsortedAndDuplicateInputStillRoundTripsAsASet() {
    int[] seqs = {50, 10, 12, 49, 10, 3000, 11, 65535};
    byte[] buf = new byte[200];
    int len = Nack.write(buf, 0, SENDER, MEDIA, seqs, seqs.length);
    TreeSet<Integer> expected = new TreeSet<>();
    for (int s : seqs) {
      expected.add(s);
    }
    TreeSet<Integer> got = new TreeSet<>();
    for (int s : parse(Arrays.copyOf(buf, len))) {
      got.add(s);
    }
    assertEquals(expected, got);
  }

  @Test
  void writeStopsAtTheBufferOrMaxLengthAndWritesNothingForNoInput() {
    int[] spread = new int[400];
    for (int i = 0; i < spread.length; i++) {
      spread[i] = i * 20; // one entry each
    }
    byte[] big = new byte[4000];
    int len = Nack.write(big, 0, SENDER, MEDIA, spread, spread.length);
    assertTrue(len <= Nack.MAX_LENGTH && len > Nack.MAX_LENGTH - 4, "len " + len);
    assertEquals(len, RtcpHeader.packetLength(big, 0, len));

    byte[] small = new byte[24];
    assertEquals(24, Nack.write(small, 0, SENDER, MEDIA, spread, spread.length), "three entries fit");
    assertEquals(0, Nack.write(new byte[15], 0, SENDER, MEDIA, spread, 1), "not even one entry fits");
    assertEquals(0, Nack.write(big, 0, SENDER, MEDIA, spread, 0));
    assertEquals(0, Nack.write(big, 0, SENDER, MEDIA, null, 3));
  }

  @Test
  void parseStopsWhenTheOutputArrayIsFull() {
    int[] out = new int[3];
    byte[] b = nack(100, 0xffff);
    assertEquals(3, Nack.parse(b, 0, b.length, out));
    assertArrayEquals(new int[] {100, 101, 102}, out);
  }

  @Test
  void malformedPacketsAreRejectedNotThrown() {
    byte[] ok = nack(5, 1);
    int[] out = new int[32];
    assertEquals(2, Nack.parse(ok, 0, ok.length, out));
    assertEquals(Nack.MALFORMED, Nack.parse(ok, 0, ok.length + 4, out), "longer than the buffer");
    assertEquals(Nack.MALFORMED, Nack.parse(ok, 0, 8, out), "shorter than the header");
    assertEquals(Nack.MALFORMED, Nack.parse(ok, 0, 12, out), "length field disagrees");
    assertEquals(Nack.MALFORMED, Nack.parse(ok, -4, ok.length, out));
    assertEquals(Nack.MALFORMED, Nack.parse(null, 0, 16, out));
    assertEquals(Nack.MALFORMED, Nack.parse(ok, 0, ok.length, null));

    byte[] pli = ok.clone();
    pli[1] = (byte) 206;
    assertEquals(Nack.MALFORMED, Nack.parse(pli, 0, pli.length, out), "PSFB is not a NACK");
    byte[] tcc = ok.clone();
    tcc[0] = (byte) 0x8f;
    assertEquals(Nack.MALFORMED, Nack.parse(tcc, 0, tcc.length, out), "transport-cc is RTPFB fmt 15");
    byte[] v1 = ok.clone();
    v1[0] = (byte) 0x41;
    assertEquals(Nack.MALFORMED, Nack.parse(v1, 0, v1.length, out), "version 1");

    byte[] padded = nack(5, 1, 0, 4);
    padded[0] |= 0x20;
    assertEquals(2, Nack.parse(padded, 0, padded.length, out), "a padding word is skipped");
    padded[padded.length - 1] = 9;
    assertEquals(Nack.MALFORMED, Nack.parse(padded, 0, padded.length, out), "padding past the FCI");
    padded[padded.length - 1] = 0;
    assertEquals(Nack.MALFORMED, Nack.parse(padded, 0, padded.length, out), "zero padding count");
  }

  @Test
  void randomBytesNeverThrow() {
    Random r = new Random(4585);
    int[] out = new int[64];
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(64)];
      r.nextBytes(b);
      if (b.length > 1 && r.nextBoolean()) {
        b[0] = (byte) (0x80 | (b[0] & 0x20) | 1);
        b[1] = (byte) 205;
      }
      int pos = r.nextInt(8) - 2;
      int len = r.nextInt(80) - 8;
      int n = Nack.parse(b, pos, len, out);
      assertTrue(n >= -1 && n <= out.length);
    }
  }
}
