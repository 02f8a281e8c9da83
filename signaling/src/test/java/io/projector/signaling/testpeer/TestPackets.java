package io.projector.signaling.testpeer;

import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtcp.RtcpWriter;
import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.RtpHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plain RTP/RTCP packets as a browser would send them, and readers for what the SFU sends back. */
public final class TestPackets {
  private TestPackets() {}

  /** An RTP packet without CSRCs or extensions: 12-byte header, then the payload. */
  public static byte[] rtp(int payloadType, int seq, long timestamp, long ssrc, boolean marker, byte[] payload) {
    byte[] p = new byte[RtpHeader.FIXED_HEADER_LENGTH + payload.length];
    p[0] = (byte) 0x80;
    p[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7f));
    Bytes.writeUint16(p, 2, seq & 0xffff);
    Bytes.writeUint32(p, 4, timestamp & 0xffffffffL);
    Bytes.writeUint32(p, 8, ssrc);
    System.arraycopy(payload, 0, p, RtpHeader.FIXED_HEADER_LENGTH, payload.length);
    return p;
  }

  /**
   * A VP8 payload (RFC 7741): descriptor with S=1 and partition index 0, then the first byte of the VP8 frame
   * header whose bit 0 is the inverted key-frame flag. {@code fill} bytes of filler follow.
   */
  public static byte[] vp8Payload(boolean keyframe, int fill, int seed) {
    byte[] p = new byte[2 + fill];
    p[0] = 0x10; // X=0 N=0 S=1 PID=0
    p[1] = (byte) (keyframe ? 0x00 : 0x01);
    for (int i = 2; i < p.length; i++) {
      p[i] = (byte) (seed * 31 + i);
    }
    return p;
  }

  public static byte[] payload(byte[] rtp) {
    int off = RtpHeader.headerLength(rtp, 0, rtp.length);
    return Arrays.copyOfRange(rtp, off, off + RtpHeader.payloadLength(rtp, 0, rtp.length));
  }

  /** A reduced-size (RFC 5506) PLI, as a viewer with a=rtcp-rsize sends it. */
  public static byte[] pli(long senderSsrc, long mediaSsrc) {
    byte[] b = new byte[RtcpWriter.PLI_LENGTH];
    RtcpWriter.writePli(b, 0, senderSsrc, mediaSsrc);
    return b;
  }

  /** One packet of a compound RTCP datagram. */
  public record Rtcp(int type, int countOrFormat, byte[] bytes) {
    /** Media source SSRC of a feedback packet (PLI, FIR, NACK). */
    public long mediaSsrc() {
      return RtcpHeader.mediaSsrc(bytes, 0);
    }

    /** The SSRCs the report blocks of an SR or RR are about. */
    public List<Long> reportedSsrcs() {
      int first = type == RtcpHeader.SR ? 28 : 8;
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < countOrFormat && first + 24 * (i + 1) <= bytes.length; i++) {
        out.add(Bytes.readUint32(bytes, first + 24 * i));
      }
      return out;
    }

    public boolean isPli() {
      return type == RtcpHeader.PSFB && countOrFormat == RtcpHeader.FMT_PLI;
    }
  }

  /** Splits a compound RTCP datagram; fails on a malformed one (the SFU must never send those). */
  public static List<Rtcp> split(byte[] compound) {
    List<Rtcp> out = new ArrayList<>();
    int pos = 0;
    while (pos < compound.length) {
      int len = RtcpHeader.packetLength(compound, pos, compound.length);
      if (len < 0) {
        throw new AssertionError("malformed RTCP from the SFU: " + Arrays.toString(compound));
      }
      out.add(new Rtcp(RtcpHeader.packetType(compound, pos), RtcpHeader.countOrFormat(compound, pos),
          Arrays.copyOfRange(compound, pos, pos + len)));
      pos += len;
    }
    return out;
  }
}
