package io.projector.sfu.rtcp;

import io.projector.sfu.rtp.Bytes;

/** Writes the RTCP packets the SFU originates, into a caller-provided buffer. Each method returns bytes written. */
public final class RtcpWriter {
  public static final int PLI_LENGTH = 12;
  public static final int REPORT_BLOCK_LENGTH = 24;

  private RtcpWriter() {}

  /** Picture Loss Indication (RFC 4585 §6.3.1). */
  public static int writePli(byte[] buf, int pos, long senderSsrc, long mediaSsrc) {
    RtcpHeader.writeHeader(buf, pos, RtcpHeader.FMT_PLI, RtcpHeader.PSFB, PLI_LENGTH);
    Bytes.writeUint32(buf, pos + 4, senderSsrc);
    Bytes.writeUint32(buf, pos + 8, mediaSsrc);
    return PLI_LENGTH;
  }

  /** Receiver report header for {@code blocks} report blocks that the caller writes right after it. */
  public static int writeReceiverReportHeader(byte[] buf, int pos, long senderSsrc, int blocks) {
    RtcpHeader.writeHeader(buf, pos, blocks, RtcpHeader.RR, 8 + blocks * REPORT_BLOCK_LENGTH);
    Bytes.writeUint32(buf, pos + 4, senderSsrc);
    return 8;
  }

  /** One report block (RFC 3550 §6.4.1). */
  public static int writeReportBlock(byte[] buf, int pos, long ssrc, int fractionLost, int cumulativeLost,
      long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
    Bytes.writeUint32(buf, pos, ssrc);
    buf[pos + 4] = (byte) fractionLost;
    Bytes.writeUint24(buf, pos + 5, cumulativeLost & 0xffffff);
    Bytes.writeUint32(buf, pos + 8, extendedHighestSeq);
    Bytes.writeUint32(buf, pos + 12, jitter);
    Bytes.writeUint32(buf, pos + 16, lastSr);
    Bytes.writeUint32(buf, pos + 20, delaySinceLastSr);
    return REPORT_BLOCK_LENGTH;
  }
}
