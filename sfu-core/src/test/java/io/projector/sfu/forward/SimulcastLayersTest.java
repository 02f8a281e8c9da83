package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.RtpPackets;
import io.projector.sfu.rtp.Vp8Payloads;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulcastLayersTest {
  private static final int MID = 9;
  private static final int RID = 10;
  private static final int RRID = 11;

  private final SimulcastLayers layers = new SimulcastLayers(List.of("q", "h", "f"), RID, RRID);

  /** A packet as Chrome sends it before the SSRC is acknowledged: mid and rid (or repaired rid) extensions. */
  private static byte[] tagged(long ssrc, int extId, String rid, Vp8Payloads payload) {
    int[] ridExt = new int[rid.length() + 1];
    ridExt[0] = extId;
    for (int i = 0; i < rid.length(); i++) {
      ridExt[i + 1] = rid.charAt(i);
    }
    return RtpPackets.build(96, 1, 0, ssrc, false, new int[][] {{MID, '0'}, ridExt}, payload.build());
  }

  private static byte[] plain(long ssrc, int bytes) {
    return RtpPackets.build(96, 1, 0, ssrc, false, null, new byte[bytes - 12]);
  }

  private int feed(byte[] p, long nowMs) {
    return layers.onVp8Packet(p, 0, p.length, nowMs);
  }

  @Test
  void learnsEachLayersSsrcFromTheRidExtensionAndKeepsItOnceChromeStopsSendingIt() {
    assertEquals(0, feed(tagged(111, RID, "q", Vp8Payloads.delta()), 0));
    assertEquals(2, feed(tagged(333, RID, "f", Vp8Payloads.delta()), 0));
    assertEquals(1, feed(tagged(222, RID, "h", Vp8Payloads.delta()), 0));
    assertEquals(1, feed(plain(222, 100), 10), "no extension any more: the mapping holds");
    assertEquals(111, layers.ssrc(0));
    assertEquals(222, layers.ssrc(1));
    assertEquals(333, layers.ssrc(2));
    assertEquals(2, layers.layerOf(333));
    assertEquals("h", layers.rid(1));
    assertEquals(3, layers.layerCount());
  }

  @Test
  void ssrcsWithoutAKnownRidAreCountedNotMapped() {
    assertEquals(-1, feed(plain(444, 100), 0));
    assertEquals(-1, feed(tagged(555, RID, "x", Vp8Payloads.delta()), 0));
    assertEquals(-1, feed(tagged(666, RID, "qq", Vp8Payloads.delta()), 0), "a prefix is not a match");
    assertEquals(3, layers.unknownPackets());
    assertEquals(-1, layers.layerOf(444));
    assertEquals(-1, layers.ssrc(0));
  }

  @Test
  void mapsRtxSsrcsFromTheRepairedRidWithoutCountingThemAsMedia() {
    assertEquals(-1, feed(tagged(777, RRID, "h", Vp8Payloads.delta()), 0));
    assertEquals(1, layers.rtxLayerOf(777));
    assertEquals(777, layers.rtxSsrc(1));
    assertEquals(-1, layers.layerOf(777));
    assertEquals(-1, feed(plain(777, 500), 5), "still RTX without the extension");
    assertEquals(0, layers.bitrateBps(1, 5));
    assertFalse(layers.isActive(1, 5));
  }

  @Test
  void toleratesZeroPaddingAfterTheRid() {
    byte[] p = RtpPackets.build(96, 1, 0, 888, false, new int[][] {{RID, 'f', 0}}, Vp8Payloads.delta().build());
    assertEquals(2, feed(p, 0));
  }

  @Test
  void measuresEachLayersBitrateOverASlidingOneSecondWindow() {
    feed(tagged(111, RID, "q", Vp8Payloads.delta()), 0);
    for (long t = 0; t < 1000; t += 10) {
      byte[] p = plain(111, 1000);
      layers.onPacket(p, 0, p.length, -1, false, t);
    }
    long first = tagged(111, RID, "q", Vp8Payloads.delta()).length * 8L;
    assertEquals(800_000 + first, layers.bitrateBps(0, 990));
    assertEquals(320_000, layers.bitrateBps(0, 1500), "only the last 400 ms of sending remain in the window");
    assertEquals(0, layers.bitrateBps(0, 3000));
    assertEquals(0, layers.bitrateBps(1, 990), "other layers are measured separately");
  }

  @Test
  void measuresTheRateOfTheLowerTemporalLayersSeparately() {
    feed(tagged(222, RID, "h", Vp8Payloads.delta()), 0);
    for (int i = 0; i < 100; i++) {
      byte[] p = plain(222, 500);
      layers.onPacket(p, 0, p.length, i % 2, false, 100 + i * 5L);
    }
    long firstBits = tagged(222, RID, "h", Vp8Payloads.delta()).length * 8L; // no TID: counted as TID 0
    assertEquals(200_000 + firstBits, layers.bitrateBps(1, 0, 600));
    assertEquals(400_000 + firstBits, layers.bitrateBps(1, 600));
    assertEquals(1, layers.maxTemporalId(1));
    assertEquals(-1, layers.maxTemporalId(0));
  }

  @Test
  void aLayerIsActiveUntilItHasBeenSilentForTheTimeout() {
    assertFalse(layers.isActive(0, 0), "never seen");
    feed(tagged(111, RID, "q", Vp8Payloads.delta()), 1000);
    assertTrue(layers.isActive(0, 1000));
    assertTrue(layers.isActive(0, 1000 + SimulcastLayers.DEFAULT_ACTIVE_TIMEOUT_MS));
    assertFalse(layers.isActive(0, 1001 + SimulcastLayers.DEFAULT_ACTIVE_TIMEOUT_MS));

    SimulcastLayers strict = new SimulcastLayers(List.of("q"), RID, -1, 500);
    byte[] p = tagged(9, RID, "q", Vp8Payloads.delta());
    strict.onVp8Packet(p, 0, p.length, 0);
    assertFalse(strict.isActive(0, 501));
  }

  @Test
  void remembersEachLayersLastKeyframeAndItsResolution() {
    assertEquals(SimulcastLayers.NEVER, layers.lastKeyframeMs(2));
    assertEquals(-1, layers.heightPx(2));
    feed(tagged(333, RID, "f", Vp8Payloads.keyframe().pictureId(1).size(2560, 1440)), 40);
    feed(plain(333, 300), 60);
    assertEquals(40, layers.lastKeyframeMs(2));
    assertEquals(2560, layers.widthPx(2));
    assertEquals(1440, layers.heightPx(2));
    assertEquals(SimulcastLayers.NEVER, layers.lastKeyframeMs(0));
  }

  @Test
  void aRidOnANewSsrcMovesTheLayerAndForgetsTheOldHistory() {
    feed(tagged(111, RID, "q", Vp8Payloads.keyframe().pictureId(1).size(480, 270)), 0);
    feed(tagged(999, RID, "q", Vp8Payloads.delta()), 100);
    assertEquals(999, layers.ssrc(0));
    assertEquals(-1, layers.layerOf(111));
    assertEquals(-1, feed(plain(111, 100), 110), "the old SSRC is unknown now");
    assertEquals(SimulcastLayers.NEVER, layers.lastKeyframeMs(0));
    assertEquals(-1, layers.heightPx(0));
  }

  @Test
  void withoutNegotiatedRidExtensionsNothingIsLearned() {
    SimulcastLayers none = new SimulcastLayers(List.of("q", "f"), -1, -1);
    byte[] p = tagged(111, RID, "q", Vp8Payloads.delta());
    assertEquals(-1, none.onVp8Packet(p, 0, p.length, 0));
    assertThrows(IllegalArgumentException.class, () -> new SimulcastLayers(List.of(), RID, RRID));
  }
}
