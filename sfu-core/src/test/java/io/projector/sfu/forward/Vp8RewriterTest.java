package io.projector.sfu.forward;

import static io.projector.sfu.forward.Vp8Rewriter.DROPPED_MALFORMED;
import static io.projector.sfu.forward.Vp8Rewriter.DROPPED_OTHER_SOURCE;
import static io.projector.sfu.forward.Vp8Rewriter.DROPPED_STALE;
import static io.projector.sfu.forward.Vp8Rewriter.DROPPED_TEMPORAL;
import static io.projector.sfu.forward.Vp8Rewriter.FORWARDED;
import static io.projector.sfu.forward.Vp8Rewriter.SWITCHED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.RtpPackets;
import io.projector.sfu.rtp.Vp8Descriptor;
import io.projector.sfu.rtp.Vp8Payloads;
import org.junit.jupiter.api.Test;

class Vp8RewriterTest {
  private static final long Q = 0x1111, H = 0x2222, F = 0x3333;
  private static final int ALL = Vp8Descriptor.MAX_TEMPORAL_ID;

  private final Vp8Rewriter rewriter = new Vp8Rewriter();
  private byte[] last;

  private int send(long ssrc, int seq, Vp8Payloads payload, long target, int maxTid) {
    last = RtpPackets.build(96, seq, seq * 3000L, ssrc, false, null, payload.build());
    return rewriter.rewrite(last, 0, last.length, target, maxTid);
  }

  private int send(long ssrc, int seq, Vp8Payloads payload, long target) {
    return send(ssrc, seq, payload, target, ALL);
  }

  private int pictureId() {
    return Vp8Descriptor.pictureId(last, 12, last.length - 12);
  }

  private int tl0() {
    return Vp8Descriptor.tl0PicIdx(last, 12, last.length - 12);
  }

  @Test
  void startsAtTheTargetsFirstKeyframeAndPassesItsNumberingThrough() {
    assertEquals(DROPPED_OTHER_SOURCE, send(Q, 10, Vp8Payloads.delta().pictureId(99).tl0(4), Q));
    assertTrue(rewriter.awaitingKeyframe(Q));
    assertEquals(SWITCHED, send(Q, 11, Vp8Payloads.keyframe().pictureId(100).tl0(5), Q));
    assertEquals(100, pictureId());
    assertEquals(5, tl0());
    assertEquals(FORWARDED, send(Q, 12, Vp8Payloads.delta().pictureId(101).tl0(5), Q));
    assertEquals(101, pictureId());
    assertEquals(0, rewriter.switches(), "the first source is no switch");
  }

  @Test
  void keepsPictureIdAndTl0PicIdxContinuousAcrossTwoSwitches() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(100).tl0(10), Q);
    send(Q, 2, Vp8Payloads.delta().pictureId(101).tl0(11), Q);
    // Target moves to h: q keeps flowing until h's keyframe.
    assertEquals(DROPPED_OTHER_SOURCE, send(H, 900, Vp8Payloads.delta().pictureId(7000).tl0(60), H));
    assertEquals(FORWARDED, send(Q, 3, Vp8Payloads.delta().pictureId(102).tl0(12), H));
    assertEquals(102, pictureId());

    assertEquals(SWITCHED, send(H, 901, Vp8Payloads.keyframe().pictureId(7001).tl0(61), H));
    assertEquals(103, pictureId());
    assertEquals(13, tl0());
    assertEquals(FORWARDED, send(H, 902, Vp8Payloads.keyframe().pictureId(7001).tl0(61).continuation(), H));
    assertEquals(103, pictureId(), "every packet of the frame gets the same id");
    assertEquals(FORWARDED, send(H, 903, Vp8Payloads.delta().pictureId(7002).tl0(62), H));
    assertEquals(104, pictureId());
    assertEquals(14, tl0());

    assertEquals(SWITCHED, send(F, 50, Vp8Payloads.keyframe().pictureId(3).tl0(200), F));
    assertEquals(105, pictureId());
    assertEquals(15, tl0());
    assertEquals(FORWARDED, send(F, 51, Vp8Payloads.delta().pictureId(4).tl0(201), F));
    assertEquals(106, pictureId());
    assertEquals(16, tl0());
    assertEquals(2, rewriter.switches());
  }

  @Test
  void wrapsPictureIdAt15BitsAndTl0PicIdxAt8BitsAcrossASwitch() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(32766).tl0(254), Q);
    send(Q, 2, Vp8Payloads.delta().pictureId(32767).tl0(255), Q);
    assertEquals(SWITCHED, send(H, 40, Vp8Payloads.keyframe().pictureId(12).tl0(90), H));
    assertEquals(0, pictureId());
    assertEquals(0, tl0());
    assertEquals(FORWARDED, send(H, 41, Vp8Payloads.delta().pictureId(13).tl0(91), H));
    assertEquals(1, pictureId());
    assertEquals(1, tl0());
  }

  @Test
  void followsTheSourcesOwnWrapAfterAnOffset() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(500).tl0(0), Q);
    assertEquals(SWITCHED, send(H, 7, Vp8Payloads.keyframe().pictureId(32767).tl0(255), H));
    assertEquals(501, pictureId());
    send(H, 8, Vp8Payloads.delta().pictureId(0).tl0(0), H);
    assertEquals(502, pictureId(), "source wrapped 32767 -> 0, the viewer sees +1");
    assertEquals(2, tl0());
  }

  @Test
  void dropsOldLayerPacketsArrivingAfterTheSwitchAndNewLayerPacketsFromBeforeIt() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(10).tl0(1), Q);
    send(H, 500, Vp8Payloads.keyframe().pictureId(900).tl0(40), H);
    assertEquals(11, pictureId());

    assertEquals(DROPPED_STALE, send(Q, 2, Vp8Payloads.delta().pictureId(11).tl0(1), H), "late q packet");
    assertEquals(DROPPED_STALE, send(H, 499, Vp8Payloads.delta().pictureId(899).tl0(39), H),
        "h packet older than the keyframe joined at");
    assertEquals(2, rewriter.droppedStale());
    assertEquals(11, rewriter.lastPictureId(), "dropped packets do not move the numbering");
    assertEquals(FORWARDED, send(H, 501, Vp8Payloads.delta().pictureId(901).tl0(41), H));
    assertEquals(12, pictureId());
  }

  @Test
  void aSwitchBackToAnEarlierLayerStillDropsThatLayersPreSwitchPackets() {
    send(Q, 100, Vp8Payloads.keyframe().pictureId(1).tl0(1), Q);
    send(H, 7, Vp8Payloads.keyframe().pictureId(50).tl0(9), H);
    assertEquals(SWITCHED, send(Q, 130, Vp8Payloads.keyframe().pictureId(31).tl0(2), Q));
    assertEquals(3, pictureId());
    assertEquals(DROPPED_STALE, send(Q, 129, Vp8Payloads.delta().pictureId(30).tl0(1), Q));
    assertEquals(DROPPED_STALE, send(H, 8, Vp8Payloads.delta().pictureId(51).tl0(9), Q));
  }

  @Test
  void aReorderedOlderFrameDoesNotPullTheContinuationBack() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(10).tl0(20), Q);
    send(Q, 3, Vp8Payloads.delta().pictureId(12).tl0(22), Q);
    assertEquals(FORWARDED, send(Q, 2, Vp8Payloads.delta().pictureId(11).tl0(21), Q), "late, but still useful");
    assertEquals(SWITCHED, send(H, 70, Vp8Payloads.keyframe().pictureId(400).tl0(9), H));
    assertEquals(13, pictureId());
    assertEquals(23, tl0());
  }

  @Test
  void continuesSevenBitPictureIdsInSevenBits() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(126, 7), Q);
    send(Q, 2, Vp8Payloads.delta().pictureId(127, 7), Q);
    send(Q, 3, Vp8Payloads.delta().pictureId(0, 7), Q);
    assertEquals(0, pictureId());
    assertEquals(SWITCHED, send(H, 9, Vp8Payloads.keyframe().pictureId(60, 7), H));
    assertEquals(1, pictureId());
    assertEquals(7, Vp8Descriptor.pictureIdBits(last, 12, last.length - 12));
  }

  @Test
  void dropsHigherTemporalLayersAndRejoinsThemOnlyAtALayerSyncFrame() {
    send(H, 1, Vp8Payloads.keyframe().pictureId(1).tl0(1).tid(0, false), H, 0);
    assertEquals(DROPPED_TEMPORAL, send(H, 2, Vp8Payloads.delta().pictureId(2).tl0(1).tid(1, true), H, 0));
    assertEquals(FORWARDED, send(H, 3, Vp8Payloads.delta().pictureId(3).tl0(2).tid(0, false), H, 0));

    // All layers wanted again: a TID 1 frame that references an earlier TID 1 frame is still useless.
    assertEquals(DROPPED_TEMPORAL, send(H, 4, Vp8Payloads.delta().pictureId(4).tl0(2).tid(1, false), H, ALL));
    assertEquals(FORWARDED, send(H, 5, Vp8Payloads.delta().pictureId(5).tl0(2).tid(1, true), H, ALL));
    assertEquals(1, rewriter.forwardedMaxTemporalId());
    assertEquals(FORWARDED, send(H, 6, Vp8Payloads.delta().pictureId(6).tl0(3).tid(0, false), H, ALL));

    // Going down mid-frame: the started TID 1 frame is finished, the next one is dropped.
    assertEquals(FORWARDED, send(H, 7, Vp8Payloads.delta().pictureId(7).tl0(3).tid(1, false), H, ALL));
    assertEquals(FORWARDED,
        send(H, 8, Vp8Payloads.delta().pictureId(7).tl0(3).tid(1, false).continuation(), H, 0));
    assertEquals(DROPPED_TEMPORAL, send(H, 9, Vp8Payloads.delta().pictureId(8).tl0(3).tid(1, false), H, 0));
    assertEquals(3, rewriter.droppedTemporal());
  }

  @Test
  void aKeyframeRestoresEveryTemporalLayerAtOnce() {
    send(H, 1, Vp8Payloads.keyframe().pictureId(1).tl0(1).tid(0, false), H, 0);
    send(H, 2, Vp8Payloads.keyframe().pictureId(2).tl0(2).tid(0, false), H, ALL);
    assertEquals(ALL, rewriter.forwardedMaxTemporalId());
    assertEquals(FORWARDED, send(H, 3, Vp8Payloads.delta().pictureId(3).tl0(2).tid(1, false), H, ALL));
  }

  @Test
  void streamsWithoutTemporalLayersAreNeverFilteredByTid() {
    send(F, 1, Vp8Payloads.keyframe().pictureId(1), F, 0);
    assertEquals(FORWARDED, send(F, 2, Vp8Payloads.delta().pictureId(2), F, 0));
  }

  @Test
  void admitLeavesTheSharedSourceAloneAndTheIdsGoIntoTheViewersCopy() {
    send(Q, 1, Vp8Payloads.keyframe().pictureId(10).tl0(1), Q);
    byte[] payload = Vp8Payloads.keyframe().pictureId(900).tl0(40).build();
    byte[] source = RtpPackets.build(96, 500, 0, H, false, null, payload);
    byte[] before = source.clone();
    assertEquals(SWITCHED, rewriter.admit(source, 0, source.length, H, ALL));
    assertArrayEquals(before, source);

    // The viewer's copy carries an extra header extension, so its payload sits elsewhere.
    byte[] copy = RtpPackets.build(96, 77, 0, 5555, false, new int[][] {{5, 1, 2, 3}}, payload);
    rewriter.rewriteIds(copy, 0, copy.length);
    int payloadOff = copy.length - payload.length;
    assertEquals(11, Vp8Descriptor.pictureId(copy, payloadOff, payload.length));
    assertEquals(2, Vp8Descriptor.tl0PicIdx(copy, payloadOff, payload.length));
  }

  @Test
  void aPacketWithoutAVp8DescriptorIsMalformed() {
    last = RtpPackets.build(96, 1, 0, Q, false, null, new byte[0]);
    assertEquals(DROPPED_MALFORMED, rewriter.rewrite(last, 0, last.length, Q, ALL));
    last = RtpPackets.build(96, 1, 0, Q, false, null, new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81});
    assertEquals(DROPPED_MALFORMED, rewriter.rewrite(last, 0, last.length, Q, ALL), "15-bit id cut short");
  }
}
