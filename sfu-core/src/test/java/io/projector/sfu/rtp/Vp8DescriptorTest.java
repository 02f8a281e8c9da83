package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Vp8DescriptorTest {

  /** Every combination of I (none, 7-bit, 15-bit), L, T and K. */
  static Stream<Arguments> flagCombinations() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (int bits : new int[] {0, 7, 15}) {
      for (int flags = 0; flags < 8; flags++) {
        b.add(Arguments.of(bits, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "pictureId bits={0} L={1} T={2} K={3}")
  @MethodSource("flagCombinations")
  void readsEveryFieldForEveryCombinationOfOptionalFields(int bits, boolean l, boolean t, boolean k) {
    Vp8Payloads p = Vp8Payloads.delta();
    int pictureId = bits == 15 ? 0x5a3c : 0x3c;
    if (bits > 0) {
      p.pictureId(pictureId, bits);
    }
    if (l) {
      p.tl0(200);
    }
    if (t) {
      p.tid(2, true);
    }
    if (k) {
      p.keyIdx(17);
    }
    byte[] buf = p.build();
    boolean x = bits > 0 || l || t || k;
    int expectedLength = x ? 2 + bits / 7 + (l ? 1 : 0) + (t || k ? 1 : 0) : 1;

    assertEquals(expectedLength, Vp8Descriptor.length(buf, 0, buf.length));
    assertEquals(x, Vp8Descriptor.hasExtension(buf, 0, buf.length));
    assertEquals(bits > 0 ? bits : -1, Vp8Descriptor.pictureIdBits(buf, 0, buf.length));
    assertEquals(bits > 0 ? pictureId : -1, Vp8Descriptor.pictureId(buf, 0, buf.length));
    assertEquals(l ? 200 : -1, Vp8Descriptor.tl0PicIdx(buf, 0, buf.length));
    assertEquals(t ? 2 : -1, Vp8Descriptor.temporalLayerId(buf, 0, buf.length));
    assertEquals(t, Vp8Descriptor.isLayerSync(buf, 0, buf.length));
    assertEquals(k ? 17 : -1, Vp8Descriptor.keyIdx(buf, 0, buf.length));
    assertTrue(Vp8Descriptor.isStartOfFrame(buf, 0, buf.length));
    assertFalse(Vp8Descriptor.isKeyframe(buf, 0, buf.length));
    // Cutting the descriptor short by one byte makes every accessor give up.
    if (expectedLength > 1) {
      assertEquals(-1, Vp8Descriptor.length(buf, 0, expectedLength - 1));
      assertEquals(-1, Vp8Descriptor.pictureId(buf, 0, expectedLength - 1));
      assertEquals(-1, Vp8Descriptor.tl0PicIdx(buf, 0, expectedLength - 1));
      assertEquals(-1, Vp8Descriptor.temporalLayerId(buf, 0, expectedLength - 1));
    }
  }

  @Test
  void writesA15BitPictureIdInPlaceWithoutTouchingNeighbours() {
    byte[] buf = Vp8Payloads.delta().pictureId(1).tl0(9).tid(1, false).build();
    byte[] before = buf.clone();
    assertTrue(Vp8Descriptor.setPictureId(buf, 0, buf.length, 32767));
    assertEquals(32767, Vp8Descriptor.pictureId(buf, 0, buf.length));
    assertEquals(15, Vp8Descriptor.pictureIdBits(buf, 0, buf.length));
    assertEquals(9, Vp8Descriptor.tl0PicIdx(buf, 0, buf.length));
    assertEquals(1, Vp8Descriptor.temporalLayerId(buf, 0, buf.length));
    assertTrue(Vp8Descriptor.setPictureId(buf, 0, buf.length, 1));
    assertArrayEquals(before, buf);
  }

  @Test
  void writesOnlySevenBitsIntoASevenBitPictureId() {
    byte[] buf = Vp8Payloads.delta().pictureId(5, 7).tl0(3).build();
    assertTrue(Vp8Descriptor.setPictureId(buf, 0, buf.length, 0x1234));
    assertEquals(7, Vp8Descriptor.pictureIdBits(buf, 0, buf.length), "the M bit stays clear");
    assertEquals(0x34, Vp8Descriptor.pictureId(buf, 0, buf.length));
    assertEquals(3, Vp8Descriptor.tl0PicIdx(buf, 0, buf.length), "the next field did not move");
  }

  @Test
  void writesTl0PicIdxInPlace() {
    byte[] buf = Vp8Payloads.delta().pictureId(300).tl0(255).tid(0, false).build();
    assertTrue(Vp8Descriptor.setTl0PicIdx(buf, 0, buf.length, 256));
    assertEquals(0, Vp8Descriptor.tl0PicIdx(buf, 0, buf.length), "8-bit field wraps");
    assertEquals(300, Vp8Descriptor.pictureId(buf, 0, buf.length));
    assertEquals(0, Vp8Descriptor.temporalLayerId(buf, 0, buf.length));
  }

  @Test
  void refusesToWriteFieldsThePacketDoesNotHave() {
    byte[] buf = Vp8Payloads.delta().tid(1, false).build();
    byte[] before = buf.clone();
    assertFalse(Vp8Descriptor.setPictureId(buf, 0, buf.length, 7));
    assertFalse(Vp8Descriptor.setTl0PicIdx(buf, 0, buf.length, 7));
    assertArrayEquals(before, buf);
  }

  @Test
  void keyIdxWithoutTLeavesTheTemporalIdUndefined() {
    byte[] buf = Vp8Payloads.delta().keyIdx(4).build();
    assertEquals(-1, Vp8Descriptor.temporalLayerId(buf, 0, buf.length));
    assertFalse(Vp8Descriptor.isLayerSync(buf, 0, buf.length));
    assertEquals(4, Vp8Descriptor.keyIdx(buf, 0, buf.length));
  }

  @Test
  void recognisesKeyframesAndTheirResolutionOnlyAtTheStartOfPartitionZero() {
    byte[] key = Vp8Payloads.keyframe().pictureId(77).tl0(1).tid(0, true).size(1280, 720).build();
    assertTrue(Vp8Descriptor.isKeyframe(key, 0, key.length));
    assertEquals(1280, Vp8Descriptor.keyframeWidth(key, 0, key.length));
    assertEquals(720, Vp8Descriptor.keyframeHeight(key, 0, key.length));
    assertEquals(Keyframes.isVp8KeyframeStart(key, 0, key.length), Vp8Descriptor.isKeyframe(key, 0, key.length));

    byte[] middle = Vp8Payloads.keyframe().pictureId(77).continuation().build();
    assertFalse(Vp8Descriptor.isStartOfFrame(middle, 0, middle.length));
    assertFalse(Vp8Descriptor.isKeyframe(middle, 0, middle.length));
    byte[] otherPartition = Vp8Payloads.keyframe().pictureId(77).partition(1).build();
    assertTrue(Vp8Descriptor.isStartOfPartition(otherPartition, 0, otherPartition.length));
    assertEquals(1, Vp8Descriptor.partitionIndex(otherPartition, 0, otherPartition.length));
    assertFalse(Vp8Descriptor.isKeyframe(otherPartition, 0, otherPartition.length));

    byte[] delta = Vp8Payloads.delta().pictureId(78).nonReference().build();
    assertTrue(Vp8Descriptor.isNonReference(delta, 0, delta.length));
    assertFalse(Vp8Descriptor.isKeyframe(delta, 0, delta.length));
    assertEquals(-1, Vp8Descriptor.keyframeWidth(delta, 0, delta.length));
  }

  @Test
  void aDescriptorWithoutPayloadIsNoKeyframe() {
    byte[] key = Vp8Payloads.keyframe().pictureId(1).build();
    int descriptor = Vp8Descriptor.length(key, 0, key.length);
    assertFalse(Vp8Descriptor.isKeyframe(key, 0, descriptor));
    assertEquals(-1, Vp8Descriptor.keyframeHeight(key, 0, descriptor + 3), "truncated before the size");
  }

  @Test
  void readsAtAnOffsetInsideALargerBuffer() {
    byte[] payload = Vp8Payloads.keyframe().pictureId(4242).tl0(7).build();
    byte[] buf = new byte[payload.length + 20];
    System.arraycopy(payload, 0, buf, 13, payload.length);
    assertEquals(4242, Vp8Descriptor.pictureId(buf, 13, payload.length));
    assertEquals(7, Vp8Descriptor.tl0PicIdx(buf, 13, payload.length));
    assertTrue(Vp8Descriptor.isKeyframe(buf, 13, payload.length));
  }

  @Test
  void emptyAndTruncatedPayloadsAnswerMinusOneOrFalse() {
    byte[] buf = {(byte) 0x90, (byte) 0xf0, (byte) 0x80};
    for (int len = 0; len <= buf.length; len++) {
      assertEquals(-1, Vp8Descriptor.pictureId(buf, 0, len));
      assertEquals(-1, Vp8Descriptor.tl0PicIdx(buf, 0, len));
      assertEquals(-1, Vp8Descriptor.temporalLayerId(buf, 0, len));
      assertEquals(-1, Vp8Descriptor.keyIdx(buf, 0, len));
      assertFalse(Vp8Descriptor.isKeyframe(buf, 0, len));
      assertFalse(Vp8Descriptor.setPictureId(buf, 0, len, 1));
    }
    assertEquals(-1, Vp8Descriptor.partitionIndex(buf, 0, 0));
    assertFalse(Vp8Descriptor.isStartOfFrame(buf, 0, 0));
  }

  @Test
  void randomGarbageNeverReadsOutOfBounds() {
    Random random = new Random(42);
    byte[] buf = new byte[12];
    for (int i = 0; i < 20_000; i++) {
      random.nextBytes(buf);
      int len = random.nextInt(buf.length + 1);
      byte[] view = Arrays.copyOf(buf, len); // exactly len long: any read past len throws
      int n = Vp8Descriptor.length(view, 0, len);
      assertTrue(n == -1 || (n >= 1 && n <= len));
      int pictureId = Vp8Descriptor.pictureId(view, 0, len);
      assertTrue(pictureId >= -1 && pictureId <= 32767);
      Vp8Descriptor.tl0PicIdx(view, 0, len);
      Vp8Descriptor.temporalLayerId(view, 0, len);
      Vp8Descriptor.keyIdx(view, 0, len);
      Vp8Descriptor.isLayerSync(view, 0, len);
      Vp8Descriptor.keyframeWidth(view, 0, len);
      Vp8Descriptor.setPictureId(view, 0, len, i);
      Vp8Descriptor.setTl0PicIdx(view, 0, len, i);
    }
  }
}
