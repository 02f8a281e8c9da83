package io.projector.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.rtp.Bytes;
import org.junit.jupiter.api.Test;

class ReceiveStatisticsTest {
  @Test
  void reportsLossAndTheExtendedSequenceAcrossAWrap() {
    ReceiveStatistics s = new ReceiveStatistics(0x1234, 90000);
    long t = 0;
    for (int seq = 65531; seq <= 65536 + 10; seq++) {
      if (seq % 5 == 0) {
        continue; // every fifth packet lost
      }
      s.onPacket(seq & 0xffff, seq * 3000L, t += 33);
    }
    byte[] buf = new byte[64];
    int n = RtcpWriter.writeReceiverReportHeader(buf, 0, 99, 1);
    n += s.writeReportBlock(buf, n, t);
    assertEquals(32, n);
    assertTrue(RtcpHeader.isValidCompound(buf, 0, n));
    assertEquals(RtcpHeader.RR, RtcpHeader.packetType(buf, 0));
    assertEquals(0x1234, Bytes.readUint32(buf, 8));
    int lost = Bytes.readUint24(buf, 13);
    assertEquals(3, lost);
    assertEquals(65536 + 10, Bytes.readUint32(buf, 16), "extended highest sequence number");
    int fraction = buf[12] & 0xff;
    assertEquals(3 * 256 / 16, fraction);
  }

  @Test
  void echoesTheLastSenderReportWithTheDelaySinceIt() {
    ReceiveStatistics s = new ReceiveStatistics(1, 48000);
    s.onPacket(1, 0, 0);
    s.onSenderReport(0x11223344L, 0x55667788L, 1000);
    byte[] buf = new byte[24];
    s.writeReportBlock(buf, 0, 1500);
    assertEquals(0x33445566L, Bytes.readUint32(buf, 16));
    assertEquals(65536 / 2, Bytes.readUint32(buf, 20));
  }

  @Test
  void writesAPictureLossIndication() {
    byte[] buf = new byte[12];
    assertEquals(12, RtcpWriter.writePli(buf, 0, 1, 2));
    assertEquals(RtcpHeader.PSFB, RtcpHeader.packetType(buf, 0));
    assertEquals(RtcpHeader.FMT_PLI, RtcpHeader.countOrFormat(buf, 0));
    assertEquals(2, RtcpHeader.mediaSsrc(buf, 0));
    assertTrue(RtcpHeader.isValidCompound(buf, 0, 12));
  }
}
