package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.RtpPackets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RetransmitterTest {
  private static final long SOURCE_SSRC = 1111;
  private static final long VIEWER_SSRC = 5555;
  private static final long RTX_SSRC = 5556;
  private static final int SEQ_OFFSET = 1000; // viewer seq = source seq + 1000
  private static final byte[] PAYLOAD = {10, 20, 30, 40};

  /** A viewer stream that renumbers by a fixed offset and maps source PT 96 to viewer PT 120. */
  private static final class FakeStream implements Retransmitter.ViewerStream {
    long sourceSsrc = SOURCE_SSRC;
    int copies;

    @Override
    public long sourceSsrc() {
      return sourceSsrc;
    }

    @Override
    public int sourceSequence(int viewerSeq) {
      return (viewerSeq - SEQ_OFFSET) & 0xffff;
    }

    @Override
    public boolean accepts(int sourcePayloadType) {
      return sourcePayloadType == 96;
    }

    @Override
    public int copyOut(byte[] src, int len, byte[] dst, boolean keyframeStart) {
      copies++;
      System.arraycopy(src, 0, dst, 0, len);
      RtpHeader.setSequenceNumber(dst, 0, RtpHeader.sequenceNumber(src, 0) + SEQ_OFFSET);
      RtpHeader.setSsrc(dst, 0, VIEWER_SSRC);
      RtpHeader.setPayloadType(dst, 0, 120);
      return len;
    }
  }

  private static PacketCache cacheWith(int... sourceSeqs) {
    PacketCache cache = new PacketCache();
    for (int seq : sourceSeqs) {
      byte[] p = RtpPackets.build(96, seq, 3000L * seq, SOURCE_SSRC, false, null, PAYLOAD);
      cache.put(p, 0, p.length, 0);
    }
    return cache;
  }

  private static int[] rtxMap() {
    int[] map = new int[128];
    Arrays.fill(map, -1);
    map[120] = 121;
    return map;
  }

  @Test
  void withoutRtxResendsThePacketRewrittenLikeANormalForward() {
    Retransmitter r = new Retransmitter();
    byte[] dst = new byte[1600];
    int len = r.resend(1005, cacheWith(5), new FakeStream(), dst, 10, 50);
    assertEquals(12 + PAYLOAD.length, len);
    assertEquals(1005, RtpHeader.sequenceNumber(dst, 0));
    assertEquals(VIEWER_SSRC, RtpHeader.ssrc(dst, 0));
    assertEquals(120, RtpHeader.payloadType(dst, 0));
    assertArrayEquals(PAYLOAD, Arrays.copyOfRange(dst, 12, len));
    assertEquals(1, r.packetsResent());
    assertEquals(1, r.nacksReceived());
  }

  @Test
  void withRtxSendsTheViewersSequenceNumberAsOsnOnTheRtxSsrcWithItsOwnIncreasingSequence() {
    Retransmitter r = new Retransmitter();
    r.enableRtx(rtxMap(), RTX_SSRC, 65535);
    PacketCache cache = cacheWith(5, 6);
    FakeStream stream = new FakeStream();
    byte[] dst = new byte[1600];

    int len = r.resend(1005, cache, stream, dst, 10, 50);
    assertEquals(12 + 2 + PAYLOAD.length, len);
    assertEquals(121, RtpHeader.payloadType(dst, 0));
    assertEquals(RTX_SSRC, RtpHeader.ssrc(dst, 0));
    assertEquals(65535, RtpHeader.sequenceNumber(dst, 0));
    assertEquals(1005, Bytes.readUint16(dst, 12), "OSN in the viewer's numbering");
    assertEquals(15000, RtpHeader.timestamp(dst, 0));
    assertArrayEquals(PAYLOAD, Arrays.copyOfRange(dst, 14, len));

    assertTrue(r.resend(1006, cache, stream, dst, 10, 50) > 0);
    assertEquals(0, RtpHeader.sequenceNumber(dst, 0), "RTX numbering wraps on its own");
    assertEquals(1006, Bytes.readUint16(dst, 12));
    assertEquals(1, r.nextRtxSequence());
  }

  @Test
  void aCodecWithoutRtxPayloadTypeIsResentPlainEvenWithRtxEnabled() {
    Retransmitter r = new Retransmitter();
    int[] none = new int[128];
    Arrays.fill(none, -1);
    r.enableRtx(none, RTX_SSRC, 0);
    byte[] dst = new byte[1600];
    r.resend(1005, cacheWith(5), new FakeStream(), dst, 10, 50);
    assertEquals(VIEWER_SSRC, RtpHeader.ssrc(dst, 0));
    assertEquals(0, r.nextRtxSequence());
  }

  @Test
  void theSamePacketIsNotResentAgainWithinHalfAnRtt() {
    Retransmitter r = new Retransmitter();
    PacketCache cache = cacheWith(5);
    FakeStream s = new FakeStream();
    byte[] dst = new byte[1600];
    assertTrue(r.resend(1005, cache, s, dst, 10, 100) > 0);
    assertEquals(Retransmitter.RATE_LIMITED, r.resend(1005, cache, s, dst, 59, 100));
    assertTrue(r.resend(1005, cache, s, dst, 60, 100) > 0);
    // Unknown or tiny RTT: the 20 ms floor applies.
    assertEquals(Retransmitter.RATE_LIMITED, r.resend(1005, cache, s, dst, 79, 0));
    assertTrue(r.resend(1005, cache, s, dst, 80, 0) > 0);
    assertEquals(3, r.packetsResent());
    assertEquals(2, r.rateLimited());
  }

  @Test
  void resendsStopAtTheBitrateBudgetAndResumeAsItRefills() {
    // 80 kbit/s = 10 bytes/ms; burst 250 ms = 2500 bytes.
    Retransmitter r = new Retransmitter(new Retransmitter.Limits(80_000, 250, 20, 1000), 1500);
    PacketCache cache = new PacketCache();
    for (int seq = 0; seq < 10; seq++) {
      byte[] p = RtpPackets.build(96, seq, 0, SOURCE_SSRC, false, null, new byte[988]); // 1000 bytes
      cache.put(p, 0, p.length, 0);
    }
    FakeStream s = new FakeStream();
    byte[] dst = new byte[1600];
    assertEquals(1000, r.resend(1000, cache, s, dst, 0, 0));
    assertEquals(1000, r.resend(1001, cache, s, dst, 0, 0));
    assertEquals(Retransmitter.RATE_LIMITED, r.resend(1002, cache, s, dst, 0, 0));
    assertEquals(2, s.copies, "a limited resend does not touch the viewer stream");
    assertEquals(Retransmitter.RATE_LIMITED, r.resend(1002, cache, s, dst, 49, 0), "990 bytes by then");
    assertEquals(1000, r.resend(1002, cache, s, dst, 50, 0));
    r.setMaxBitrateBps(0);
    assertEquals(Retransmitter.RATE_LIMITED, r.resend(1003, cache, s, dst, 500, 0), "no refill at 0 bit/s");
  }

  @Test
  void packetsNotInTheCacheOrFromAnotherSourceAreMisses() {
    Retransmitter r = new Retransmitter();
    PacketCache cache = cacheWith(5);
    FakeStream s = new FakeStream();
    byte[] dst = new byte[1600];
    assertEquals(Retransmitter.MISS, r.resend(1006, cache, s, dst, 10, 0), "never cached");
    assertEquals(Retransmitter.MISS, r.resend(1005, cache, s, dst, 5000, 0), "older than maxPacketAgeMs");
    s.sourceSsrc = 2222; // the presenter reconnected: this cache holds the old source
    assertEquals(Retransmitter.MISS, r.resend(1005, cache, s, dst, 10, 0));
    assertEquals(0, s.copies, "an old source's packet must never reach copyOut (it would rebase the stream)");
    assertEquals(3, r.misses());
    assertEquals(Retransmitter.MISS, r.resend(1005, cacheWith(5), new FakeStream(), new byte[16], 10, 0),
        "dst too small");
  }

  @Test
  void aResendThroughTheRealOutboundStreamEqualsTheOriginalForward() {
    int[] pt = new int[128];
    Arrays.fill(pt, -1);
    pt[96] = 120;
    OutboundStream out = new OutboundStream(VIEWER_SSRC, true);
    out.configure(pt, new HeaderExtensionMap().map(3, 5));
    out.addExtension(7, 0);
    PacketCache cache = new PacketCache();
    byte[] forwarded = new byte[1600];
    int forwardedLen = 0;
    for (int seq = 40; seq < 43; seq++) {
      byte[] p = RtpPackets.build(96, seq, 900L * seq, SOURCE_SSRC, false, new int[][] {{3, 1, 2}}, new byte[] {0x10, 0});
      cache.put(p, 0, p.length, 0);
      int len = out.copyOut(p, p.length, seq == 41 ? forwarded : new byte[1600], seq == 40);
      forwardedLen = seq == 41 ? len : forwardedLen;
    }
    Retransmitter.ViewerStream view = new Retransmitter.ViewerStream() {
      @Override
      public long sourceSsrc() {
        return out.sourceSsrc();
      }

      @Override
      public int sourceSequence(int viewerSeq) {
        return viewerSeq; // first source: no offset
      }

      @Override
      public boolean accepts(int sourcePayloadType) {
        return out.accepts(sourcePayloadType);
      }

      @Override
      public int copyOut(byte[] src, int len, byte[] dst, boolean keyframeStart) {
        return out.copyOut(src, len, dst, keyframeStart);
      }
    };
    byte[] dst = new byte[1600];
    int len = new Retransmitter().resend(41, cache, view, dst, 10, 0);
    assertArrayEquals(Arrays.copyOf(forwarded, forwardedLen), Arrays.copyOf(dst, len));
  }
}
