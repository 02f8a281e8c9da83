package io.projector.sfu.rtp;

/**
 * The per-viewer copy of a forwarded packet, with its header extensions rewritten to the viewer's ids and,
 * optionally, elements the SFU adds itself: a 3-byte playout-delay request and a 2-byte transport-wide sequence
 * number slot (its value is written by the caller per packet). Header and payload are copied once each into the
 * destination; the shared source is never modified. The added elements cost 4 or 8 bytes, plus 4 when the packet
 * had no extension block. A packet in the two-byte form gets nothing added rather than mixed forms.
 */
public final class ExtensionCopy {
  private static final int ONE_BYTE_PROFILE = 0xBEDE;

  private ExtensionCopy() {}

  /**
   * @param addId id (1..14) of the element to add, or 0 for none
   * @return the length written to dst, or -1 if the source's extension block is malformed
   */
  public static int copy(byte[] src, int len, byte[] dst, HeaderExtensionMap map, int addId, int addValue24) {
    return copy(src, len, dst, map, addId, addValue24, 0);
  }

  /**
   * @param addId id (1..14) of a 3-byte element to add with value addValue24, or 0
   * @param slotId id (1..14) of a 2-byte element to add with value 0 (filled in later), or 0
   * @return the length written to dst, or -1 if the source's extension block is malformed
   */
  public static int copy(byte[] src, int len, byte[] dst, HeaderExtensionMap map, int addId, int addValue24,
      int slotId) {
    int header = RtpHeader.headerLength(src, 0, len);
    if (header < 0) {
      return -1;
    }
    if (addId == 0 && slotId == 0) {
      System.arraycopy(src, 0, dst, 0, len);
      return map.rewrite(dst, 0, len) ? len : -1;
    }
    int addedWords = (addId != 0 && slotId != 0) ? 2 : 1; // 4 + 3 bytes need a second word (one byte padding)
    int fixed = RtpHeader.extensionOffset(src, 0);
    int newHeader;
    System.arraycopy(src, 0, dst, 0, header);
    if (RtpHeader.hasExtension(src, 0)) {
      if (!map.rewrite(dst, 0, header)) {
        return -1;
      }
      int profile = Bytes.readUint16(dst, fixed);
      if (profile == ONE_BYTE_PROFILE) {
        writeElements(dst, header, addId, addValue24, slotId, addedWords);
        Bytes.writeUint16(dst, fixed + 2, Bytes.readUint16(dst, fixed + 2) + addedWords);
        newHeader = header + 4 * addedWords;
      } else {
        // Two-byte form (or another profile): leave it as is and add nothing rather than mix forms.
        newHeader = header;
      }
    } else {
      dst[0] |= 0x10;
      Bytes.writeUint16(dst, fixed, ONE_BYTE_PROFILE);
      Bytes.writeUint16(dst, fixed + 2, addedWords);
      writeElements(dst, fixed + 4, addId, addValue24, slotId, addedWords);
      newHeader = header + 4 + 4 * addedWords;
    }
    int rest = len - header;
    if (newHeader + rest > dst.length) {
      return -1;
    }
    System.arraycopy(src, header, dst, newHeader, rest);
    return newHeader + rest;
  }

  private static void writeElements(byte[] dst, int pos, int addId, int value24, int slotId, int words) {
    java.util.Arrays.fill(dst, pos, pos + 4 * words, (byte) 0); // unused bytes are padding
    if (addId != 0) {
      dst[pos] = (byte) ((addId << 4) | 2); // length field is (bytes - 1)
      Bytes.writeUint24(dst, pos + 1, value24);
      pos += 4;
    }
    if (slotId != 0) {
      dst[pos] = (byte) ((slotId << 4) | 1);
    }
  }

  /** The playout-delay element value: minimum and maximum delay in 10 ms units, 12 bits each. */
  public static int playoutDelay(int minMs, int maxMs) {
    int min = Math.min(0xfff, Math.max(0, minMs / 10));
    int max = Math.min(0xfff, Math.max(min, maxMs / 10));
    return (min << 12) | max;
  }
}
