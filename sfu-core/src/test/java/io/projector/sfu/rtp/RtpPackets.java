package io.projector.sfu.rtp;

/** Builds RTP packets by hand for tests. */
public final class RtpPackets {
  private RtpPackets() {}

  /** A packet with a one-byte-header extension block holding the given (id, value bytes) elements. */
  public static byte[] build(int pt, int seq, long ts, long ssrc, boolean marker, int[][] extensions, byte[] payload) {
    int extBytes = 0;
    if (extensions != null && extensions.length > 0) {
      int raw = 0;
      for (int[] e : extensions) {
        raw += 1 + (e.length - 1);
      }
      extBytes = 4 + ((raw + 3) / 4) * 4;
    }
    byte[] p = new byte[12 + extBytes + payload.length];
    p[0] = (byte) (0x80 | (extBytes > 0 ? 0x10 : 0));
    p[1] = (byte) ((marker ? 0x80 : 0) | pt);
    RtpHeader.setSequenceNumber(p, 0, seq);
    RtpHeader.setTimestamp(p, 0, ts);
    RtpHeader.setSsrc(p, 0, ssrc);
    if (extBytes > 0) {
      Bytes.writeUint16(p, 12, 0xBEDE);
      Bytes.writeUint16(p, 14, (extBytes - 4) / 4);
      int pos = 16;
      for (int[] e : extensions) {
        int id = e[0];
        int len = e.length - 1;
        p[pos++] = (byte) ((id << 4) | (len - 1));
        for (int i = 1; i < e.length; i++) {
          p[pos++] = (byte) e[i];
        }
      }
    }
    System.arraycopy(payload, 0, p, 12 + extBytes, payload.length);
    return p;
  }
}
