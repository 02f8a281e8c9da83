package io.projector.sfu.rtp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyframesTest {
  @Test
  void recognisesTheStartOfAVp8Keyframe() {
    // X=1,S=1,PID=0 | I=1 | M=1 15-bit picture id | VP8 header with P=0 (key frame)
    byte[] key = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23, 0x10, 0x02, 0x00};
    assertTrue(Keyframes.isVp8KeyframeStart(key, 0, key.length));
    byte[] delta = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23, 0x11, 0x02, 0x00};
    assertFalse(Keyframes.isVp8KeyframeStart(delta, 0, delta.length));
    byte[] continuation = {(byte) 0x80, (byte) 0x80, (byte) 0x81, 0x23, 0x10};
    assertFalse(Keyframes.isVp8KeyframeStart(continuation, 0, continuation.length), "not start of partition");
    byte[] minimal = {0x10, 0x00};
    assertTrue(Keyframes.isVp8KeyframeStart(minimal, 0, minimal.length));
    assertFalse(Keyframes.isVp8KeyframeStart(new byte[] {(byte) 0x90}, 0, 1), "truncated");
  }

  @Test
  void recognisesH264IdrInSingleStapAndFuPackets() {
    assertTrue(Keyframes.isH264KeyframeStart(new byte[] {0x65, 1}, 0, 2));
    assertTrue(Keyframes.isH264KeyframeStart(new byte[] {0x67, 1}, 0, 2));
    assertFalse(Keyframes.isH264KeyframeStart(new byte[] {0x41, 1}, 0, 2));
    byte[] stap = {0x18, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0x01};
    assertTrue(Keyframes.isH264KeyframeStart(stap, 0, stap.length));
    assertTrue(Keyframes.isH264KeyframeStart(new byte[] {0x7c, (byte) 0x85}, 0, 2));
    assertFalse(Keyframes.isH264KeyframeStart(new byte[] {0x7c, 0x05}, 0, 2), "FU-A continuation");
  }
}
