package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Where a joining viewer's replay from the packet cache starts: a keyframe the presenter is still pacing out is
 * not waited for when the previous one is recent. Fake clock, one layer, no I/O.
 */
class CatchUpStartTest {
  private static final int SLOTS = 512;
  private static final IntPredicate ALL_CACHED = seq -> true;
  private final PresenterVideo video = new PresenterVideo(List.of(), -1, -1, 250);
  private long nowMs = 1_000_000;
  private int seq = 100;
  private long ts = 90_000;

  /** A frame of {@code packets} packets, one per millisecond, the last with the marker bit. */
  private void frame(int packets, boolean keyframe) {
    ts += 3000;
    for (int i = 0; i < packets; i++) {
      int s = seq++ & 0xffff;
      if (keyframe && i == 0) {
        video.onKeyframe(0, s, ts, nowMs);
      }
      video.onSequence(0, s);
      video.onFramePacket(0, ts, i == packets - 1);
      nowMs++;
    }
  }

  private void framesFor(long ms) {
    long end = nowMs + ms;
    while (nowMs < end) {
      frame(2, false);
      nowMs += 31;
    }
  }

  @Test
  void aCompleteRecentKeyframeIsWhereTheReplayStarts() {
    int keyframe = seq;
    frame(40, true);
    assertTrue(video.keyframeComplete(0), "its last packet (marker bit) arrived");
    framesFor(300);
    assertEquals(keyframe, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs, ALL_CACHED));
  }

  @Test
  void whileANewKeyframeIsPacedOutThePreviousOneIsReplayed() {
    int previous = seq;
    frame(40, true);
    framesFor(1000);
    int latest = seq;
    // The new keyframe's first 30 packets are in; the presenter is still sending the rest.
    ts += 3000;
    video.onKeyframe(0, seq, ts, nowMs);
    for (int i = 0; i < 30; i++) {
      video.onSequence(0, seq++ & 0xffff);
      video.onFramePacket(0, ts, false);
      nowMs++;
    }
    assertFalse(video.keyframeComplete(0));
    assertEquals(previous, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs, ALL_CACHED),
        "the previous keyframe and what followed, up to the new keyframe's packets so far");
    assertEquals(latest, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs, s -> s != previous),
        "the previous keyframe has left the cache: the new one, partial, after all");
    video.onSequence(0, seq++ & 0xffff);
    video.onFramePacket(0, ts, true);
    nowMs++;
    assertEquals(latest, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs, ALL_CACHED), "complete now: start there");
  }

  @Test
  void aPreviousKeyframeTooOldOrTooFarBackIsNotUsed() {
    frame(40, true);
    framesFor(ViewerRepairs.CATCH_UP_MAX_PREVIOUS_KEYFRAME_AGE_MS + 100);
    int latest = seq;
    ts += 3000;
    video.onKeyframe(0, seq, ts, nowMs);
    video.onSequence(0, seq++ & 0xffff);
    video.onFramePacket(0, ts, false);
    nowMs++;
    assertEquals(latest, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs, ALL_CACHED),
        "too old: the partial new keyframe, whose rest arrives live");
    assertEquals(-1, ViewerRepairs.catchUpStart(video, 0, SLOTS, nowMs + ViewerRepairs.CATCH_UP_MAX_KEYFRAME_AGE_MS + 1,
        ALL_CACHED),
        "nothing recent enough at all");
  }

  @Test
  void aLaterFramesPacketAlsoCompletesAKeyframeWhoseLastPacketWasLost() {
    frame(1, true); // a one-packet keyframe...
    assertTrue(video.keyframeComplete(0));
    ts += 3000;
    video.onKeyframe(0, seq, ts, nowMs);
    video.onSequence(0, seq++ & 0xffff);
    video.onFramePacket(0, ts, false); // ...then one whose marker packet never comes
    nowMs++;
    assertFalse(video.keyframeComplete(0));
    frame(2, false);
    assertTrue(video.keyframeComplete(0), "a packet of the next frame shows the keyframe has ended");
  }
}
