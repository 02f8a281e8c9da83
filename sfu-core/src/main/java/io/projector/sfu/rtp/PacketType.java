package io.projector.sfu.rtp;

/**
 * What a datagram on the shared media port is, from its first bytes (RFC 7983 §7, RFC 5761 §4).
 *
 * <pre>
 *          +----------------+
 *          |        [0..3] -+--> STUN
 *          |      [20..63] -+--> DTLS
 *          |    [128..191] -+--> RTP / RTCP (RTCP when the second byte is 192..223)
 *          +----------------+
 * </pre>
 */
public enum PacketType {
  STUN, DTLS, RTP, RTCP, UNKNOWN;

  public static PacketType of(byte[] buf, int off, int len) {
    if (len < 1) {
      return UNKNOWN;
    }
    int b0 = buf[off] & 0xff;
    if (b0 <= 3) {
      return STUN;
    }
    if (b0 >= 20 && b0 <= 63) {
      return DTLS;
    }
    if (b0 >= 128 && b0 <= 191) {
      if (len < 2) {
        return UNKNOWN;
      }
      int b1 = buf[off + 1] & 0xff;
      return b1 >= 192 && b1 <= 223 ? RTCP : RTP;
    }
    return UNKNOWN;
  }
}
