package io.projector.sfu.rtp;

/**
 * Recognises the first packet of a keyframe in VP8 (RFC 7741) and H.264 (RFC 6184) payloads, so a new
 * viewer starts exactly at a frame it can decode.
 */
public final class Keyframes {
  private Keyframes() {}

  /** Whether this VP8 payload starts a keyframe (start of partition 0 with the inverse key-frame flag clear). */
  public static boolean isVp8KeyframeStart(byte[] buf, int payloadOff, int payloadLen) {
    if (payloadLen < 1) {
      return false;
    }
    int b0 = buf[payloadOff] & 0xff;
    boolean startOfPartition = (b0 & 0x10) != 0;
    int partitionIndex = b0 & 0x0f;
    if (!startOfPartition || partitionIndex != 0) {
      return false;
    }
    int pos = payloadOff + 1;
    int end = payloadOff + payloadLen;
    if ((b0 & 0x80) != 0) { // X: extension byte present
      if (pos >= end) {
        return false;
      }
      int x = buf[pos++] & 0xff;
      if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
        if (pos >= end) {
          return false;
        }
        pos += (buf[pos] & 0x80) != 0 ? 2 : 1;
      }
      if ((x & 0x40) != 0) { // L: TL0PICIDX
        pos++;
      }
      if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX byte
        pos++;
      }
    }
    return pos < end && (buf[pos] & 0x01) == 0;
  }

  /** Whether this H.264 payload carries (the start of) an IDR slice or SPS. */
  public static boolean isH264KeyframeStart(byte[] buf, int payloadOff, int payloadLen) {
    if (payloadLen < 1) {
      return false;
    }
    int nalType = buf[payloadOff] & 0x1f;
    if (nalType == 5 || nalType == 7) {
      return true;
    }
    if (nalType == 24) { // STAP-A: 16-bit size then NAL unit, repeated
      int pos = payloadOff + 1;
      int end = payloadOff + payloadLen;
      while (pos + 2 < end) {
        int size = Bytes.readUint16(buf, pos);
        int t = buf[pos + 2] & 0x1f;
        if (t == 5 || t == 7) {
          return true;
        }
        pos += 2 + size;
      }
      return false;
    }
    if (nalType == 28 && payloadLen >= 2) { // FU-A: start bit and the fragmented NAL's type
      int fuHeader = buf[payloadOff + 1] & 0xff;
      return (fuHeader & 0x80) != 0 && ((fuHeader & 0x1f) == 5 || (fuHeader & 0x1f) == 7);
    }
    return false;
  }
}
