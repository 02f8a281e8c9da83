package io.projector.sfu.rtp;

/** Big-endian reads and writes on byte arrays. */
public final class Bytes {
  private Bytes() {}

  public static int readUint16(byte[] buf, int off) {
    return ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff);
  }

  public static void writeUint16(byte[] buf, int off, int v) {
    buf[off] = (byte) (v >> 8);
    buf[off + 1] = (byte) v;
  }

  public static int readUint24(byte[] buf, int off) {
    return ((buf[off] & 0xff) << 16) | ((buf[off + 1] & 0xff) << 8) | (buf[off + 2] & 0xff);
  }

  public static void writeUint24(byte[] buf, int off, int v) {
    buf[off] = (byte) (v >> 16);
    buf[off + 1] = (byte) (v >> 8);
    buf[off + 2] = (byte) v;
  }

  public static long readUint32(byte[] buf, int off) {
    return ((long) (buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8)
        | (buf[off + 3] & 0xff);
  }

  public static void writeUint32(byte[] buf, int off, long v) {
    buf[off] = (byte) (v >> 24);
    buf[off + 1] = (byte) (v >> 16);
    buf[off + 2] = (byte) (v >> 8);
    buf[off + 3] = (byte) v;
  }
}
