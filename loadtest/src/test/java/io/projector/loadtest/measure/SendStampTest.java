package io.projector.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.RtpHeader;
import org.junit.jupiter.api.Test;

class SendStampTest {

  @Test
  void roundTripsIndexAndTimeAsRtpPaddingThatParsersSkip() {
    byte[] p = new byte[100];
    p[0] = (byte) 0x80;
    p[1] = 96;
    int len = SendStamp.append(p, 0, 40, 0xfffffffeL, 0x0123456789abcdefL);
    assertEquals(40 + SendStamp.LENGTH, len);
    assertTrue(RtpHeader.hasPadding(p, 0));
    assertTrue(SendStamp.isPresent(p, 0, len));
    assertEquals(0xfffffffeL, SendStamp.packetIndex(p, 0, len));
    assertEquals(0x0123456789abcdefL, SendStamp.sendNanos(p, 0, len));
    assertEquals(40 - 12, RtpHeader.payloadLength(p, 0, len), "the payload excludes the stamp");
  }

  @Test
  void absentWithoutThePaddingBitOrTheMagic() {
    byte[] p = new byte[100];
    p[0] = (byte) 0x80;
    int len = SendStamp.append(p, 0, 40, 1, 2);
    p[0] = (byte) 0x80; // P bit cleared
    assertFalse(SendStamp.isPresent(p, 0, len));
    p[0] = (byte) 0xa0;
    p[40] = 'X';
    assertFalse(SendStamp.isPresent(p, 0, len));
  }
}
