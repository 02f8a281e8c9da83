package io.projector.loadtest.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Vp8PacketizerTest {
  private static final int MAX_PAYLOAD_BYTES = 1180;
  private final Vp8Packetizer packetizer = new Vp8Packetizer(MAX_PAYLOAD_BYTES);

  /** Every payload of the frame, each trimmed to the bytes written. */
  static List<byte[]> payloads(Vp8Packetizer packetizer, byte[] frame, int pictureId) {
    int count = packetizer.packetCount(frame.length);
    List<byte[]> payloads = new ArrayList<>();
    byte[] rtpBuffer = new byte[1500];
    for (int i = 0; i < count; i++) {
      int written = packetizer.writePayload(frame, i, count, pictureId, rtpBuffer, 12);
      assertEquals(packetizer.payloadLength(frame.length, i, count), written);
      payloads.add(Arrays.copyOfRange(rtpBuffer, 12, 12 + written));
    }
    return payloads;
  }

  private static byte[] frameOf(int length) {
    byte[] frame = new byte[length];
    for (int i = 0; i < length; i++) {
      frame[i] = (byte) (i * 13 + i / 251);
    }
    return frame;
  }

  @Test
  void descriptorBytesAreExact() {
    List<byte[]> payloads = payloads(packetizer, frameOf(3000), 0x1234);
    assertEquals(3, payloads.size());
    assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x92, 0x34},
        Arrays.copyOf(payloads.get(0), 4), "X S PID=0 | I | M + picture id high | picture id low");
    for (int i = 1; i < payloads.size(); i++) {
      assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x92, 0x34},
          Arrays.copyOf(payloads.get(i), 4), "packet " + i + ": same without S");
    }
  }

  @Test
  void startBitOnlyOnTheFirstPacket() {
    List<byte[]> payloads = payloads(packetizer, frameOf(10_000), 7);
    for (int i = 0; i < payloads.size(); i++) {
      assertEquals(i == 0 ? 0x10 : 0, payloads.get(i)[0] & 0x10, "packet " + i);
      assertEquals(0, payloads.get(i)[0] & 0x2f, "N, reserved and PID clear on packet " + i);
      assertEquals(0, payloads.get(i)[1] & 0x7f, "L, T, K and RSV clear on packet " + i);
    }
  }

  @Test
  void pictureIdWrapsAt15Bits() {
    byte[] frame = frameOf(100);
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, Arrays.copyOfRange(payloads(packetizer, frame,
        0x7fff).get(0), 2, 4));
    assertArrayEquals(new byte[] {(byte) 0x80, 0x00}, Arrays.copyOfRange(payloads(packetizer, frame,
        0x8000).get(0), 2, 4));
    assertArrayEquals(new byte[] {(byte) 0x80, 0x05}, Arrays.copyOfRange(payloads(packetizer, frame,
        0x3_0005).get(0), 2, 4));
  }

  @Test
  void reassemblesEveryFrameOfTheVectorByteForByte() throws Exception {
    Vp8Clip clip = Vp8Clip.load(Vp8ClipTest.VECTOR);
    for (int f = 0; f < clip.frameCount(); f++) {
      byte[] frame = clip.frame(f);
      ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
      for (byte[] payload : payloads(packetizer, frame, f)) {
        assertTrue(payload.length <= MAX_PAYLOAD_BYTES, "payload of " + payload.length + " bytes");
        reassembled.write(payload, Vp8Packetizer.DESCRIPTOR_BYTES, payload.length - Vp8Packetizer.DESCRIPTOR_BYTES);
      }
      assertArrayEquals(frame, reassembled.toByteArray(), "frame " + f);
    }
  }

  @Test
  void splitsEvenlyWithoutATinyLastPacket() {
    int maxFragmentBytes = MAX_PAYLOAD_BYTES - Vp8Packetizer.DESCRIPTOR_BYTES;
    byte[] justOver = frameOf(maxFragmentBytes + 1);
    List<byte[]> two = payloads(packetizer, justOver, 1);
    assertEquals(List.of(4 + 589, 4 + 588), two.stream().map(p -> p.length).toList(),
        "1177 bytes as 589 + 588, not 1176 + 1");
    byte[] big = frameOf(83_419);
    List<byte[]> many = payloads(packetizer, big, 1);
    assertEquals(71, many.size(), "ceil(83419 / 1176)");
    int shortest = many.stream().mapToInt(p -> p.length).min().orElseThrow();
    int longest = many.stream().mapToInt(p -> p.length).max().orElseThrow();
    assertEquals(4 + 83_419 / 71, shortest);
    assertEquals(shortest + 1, longest);
    assertEquals(longest, many.get(0).length, "longer fragments first");
    assertEquals(shortest, many.get(many.size() - 1).length);
  }

  @Test
  void packetCountIsTheFewestThatFit() {
    assertEquals(1, packetizer.packetCount(1));
    assertEquals(1, packetizer.packetCount(1176));
    assertEquals(2, packetizer.packetCount(1177));
    assertEquals(2, packetizer.packetCount(2352));
    assertEquals(3, packetizer.packetCount(2353));
    assertEquals(List.of(5), payloads(new Vp8Packetizer(5), new byte[] {9}, 0).stream().map(p -> p.length)
        .toList(), "smallest budget: descriptor plus one byte");
    assertEquals(3, new Vp8Packetizer(5).packetCount(3));
  }

  @Test
  void rejectsMisuse() {
    assertThrows(IllegalArgumentException.class, () -> new Vp8Packetizer(4));
    assertThrows(IllegalArgumentException.class, () -> packetizer.packetCount(0));
    byte[] frame = frameOf(3000);
    byte[] dst = new byte[1500];
    assertThrows(IllegalArgumentException.class, () -> packetizer.writePayload(frame, 0, 4, 0, dst, 0),
        "3000 bytes take 3 packets, not 4");
    assertThrows(IndexOutOfBoundsException.class, () -> packetizer.writePayload(frame, 3, 3, 0, dst, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> packetizer.writePayload(frame, 0, 3, 0, dst, 500),
        "1004-byte payload does not fit after offset 500 of 1500");
  }
}
