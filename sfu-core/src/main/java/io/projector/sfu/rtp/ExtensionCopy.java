package io.projector.sfu.rtp;

/**
 * The per-viewer copy of a forwarded packet, with its header extensions rewritten to the viewer's ids and,
 * optionally, one 3-byte element added (the playout-delay request). Header and payload are copied once each into
 * the destination; the shared source is never modified. Adding an element costs 4 bytes (one-byte form), or
 * 8 when the packet had no extension block (or uses the two-byte form).
 */
public final class ExtensionCopy {
  private static final int ONE_BYTE_PROFILE = 0xBEDE;

  private ExtensionCopy() {}

  /**
   * @param addId id (1..14) of the element to add, or 0 for none
   * @return the length written to dst, or -1 if the source's extension block is malformed
   */
  public static int copy(byte[] src, int len, byte[] dst, HeaderExtensionMap map, int addId, int addValue24) {
    int header = RtpHeader.headerLength(src, 0, len);
    if (header < 0) {
      return -1;
    }
    if (addId == 0) {
      System.arraycopy(src, 0, dst, 0, len);
      return map.rewrite(dst, 0, len) ? len : -1;
    }
    int fixed = RtpHeader.extensionOffset(src, 0);
    int newHeader;
    System.arraycopy(src, 0, dst, 0, header);
    if (RtpHeader.hasExtension(src, 0)) {
      if (!map.rewrite(dst, 0, header)) {
        return -1;
      }
      int profile = Bytes.readUint16(dst, fixed);
      if (profile == ONE_BYTE_PROFILE) {
        // Append one word: the new element (1 header byte + 3 data bytes).
        writeElement(dst, header, addId, addValue24);
        Bytes.writeUint16(dst, fixed + 2, Bytes.readUint16(dst, fixed + 2) + 1);
        newHeader = header + 4;
      } else {
        // Two-byte form (or another profile): leave it as is and add nothing rather than mix forms.
        newHeader = header;
      }
    } else {
      dst[0] |= 0x10;
      Bytes.writeUint16(dst, fixed, ONE_BYTE_PROFILE);
      Bytes.writeUint16(dst, fixed + 2, 1);
      writeElement(dst, fixed + 4, addId, addValue24);
      newHeader = header + 8;
    }
    int rest = len - header;
    if (newHeader + rest > dst.length) {
      return -1;
    }
    System.arraycopy(src, header, dst, newHeader, rest);
    return newHeader + rest;
  }

  private static void writeElement(byte[] dst, int pos, int id, int value24) {
    dst[pos] = (byte) ((id << 4) | 2); // length field is (bytes - 1)
    Bytes.writeUint24(dst, pos + 1, value24);
  }

  /** The playout-delay element value: minimum and maximum delay in 10 ms units, 12 bits each. */
  public static int playoutDelay(int minMs, int maxMs) {
    int min = Math.min(0xfff, Math.max(0, minMs / 10));
    int max = Math.min(0xfff, Math.max(min, maxMs / 10));
    return (min << 12) | max;
  }
}
