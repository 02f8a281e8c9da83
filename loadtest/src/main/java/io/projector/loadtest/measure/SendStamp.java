package io.projector.loadtest.measure;

import io.projector.sfu.rtp.Bytes;

/**
 * The synthetic presenter's mark in each RTP packet, carried in RTP padding (RFC 3550 §5.1) so the VP8 payload
 * stays a valid, decodable stream: {@value #LENGTH} padding bytes = magic "PJ", the presenter's packet index
 * (32 bits), its send time (64-bit {@link System#nanoTime()} of the generator's JVM), and the padding count.
 * Servers forward padding untouched; the generator's viewers recover index and send time after SRTP decryption
 * and so measure one-way forwarding delay on one clock.
 */
public final class SendStamp {
  /** Padding bytes the stamp occupies, the count byte included. */
  public static final int LENGTH = 2 + 4 + 8 + 1;
  private static final byte MAGIC_0 = 'P';
  private static final byte MAGIC_1 = 'J';

  private SendStamp() {}

  /**
   * Appends the stamp as padding after a packet of {@code length} bytes at {@code off}, sets the P bit, and
   * returns the new length.
   */
  public static int append(byte[] buf, int off, int length, long packetIndex, long sendNanos) {
    int p = off + length;
    buf[p] = MAGIC_0;
    buf[p + 1] = MAGIC_1;
    Bytes.writeUint32(buf, p + 2, packetIndex & 0xffffffffL);
    long t = sendNanos;
    for (int i = 7; i >= 0; i--) {
      buf[p + 6 + i] = (byte) t;
      t >>>= 8;
    }
    buf[p + 14] = (byte) LENGTH;
    buf[off] |= 0x20;
    return length + LENGTH;
  }

  /** Whether the (decrypted) RTP packet ends with a stamp. */
  public static boolean isPresent(byte[] buf, int off, int length) {
    if (length < 12 + LENGTH || (buf[off] & 0x20) == 0) {
      return false;
    }
    int p = off + length - LENGTH;
    return (buf[off + length - 1] & 0xff) >= LENGTH && buf[p] == MAGIC_0 && buf[p + 1] == MAGIC_1;
  }

  /** The presenter's packet index in a stamped packet (check {@link #isPresent} first). */
  public static long packetIndex(byte[] buf, int off, int length) {
    return Bytes.readUint32(buf, off + length - LENGTH + 2);
  }

  /** The presenter's send time in a stamped packet (check {@link #isPresent} first). */
  public static long sendNanos(byte[] buf, int off, int length) {
    int p = off + length - LENGTH + 6;
    long t = 0;
    for (int i = 0; i < 8; i++) {
      t = (t << 8) | (buf[p + i] & 0xff);
    }
    return t;
  }
}
