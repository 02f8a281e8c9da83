package io.projector.sfu.forward;

import io.projector.sfu.rtp.RtpHeader;

/**
 * The last N packets of one incoming stream (one presenter SSRC), kept so that lost packets can be resent to
 * viewers without asking the presenter again. One cache per source stream is shared by all viewers: it holds the
 * packets as decrypted from the presenter, before any per-viewer rewriting, and each resend is rewritten for its
 * viewer like a normal forward.
 *
 * <p>Memory is fixed at construction: one flat array of {@code slots × maxPacketLength} bytes (768 KiB with the
 * defaults), slot = seq &amp; (slots - 1). A slot remembers which sequence number it holds, so a request for a
 * packet that was evicted, never arrived or belongs to another wrap of the sequence space is a miss, not a wrong
 * packet. Slots hold no SRTP tail room: get copies into the caller's buffer, which has its own.
 *
 * <p>Owned by the session's worker thread; put and get allocate nothing and never throw on bad input.
 */
public final class PacketCache {
  /** About 0.5 s of screen-share video at 1000 packets/s; covers a few RTTs of a typical viewer. */
  public static final int DEFAULT_SLOTS = 512;
  /** Ethernet MTU: nothing larger arrives over UDP without fragmentation (browsers send ≤ 1200-byte RTP). */
  public static final int DEFAULT_MAX_PACKET_LENGTH = 1500;
  /** A packet this far behind the newest is no late arrival (reordering is far smaller) but a renumbered stream. */
  private static final int RENUMBER_BEHIND = 0x4000;

  private final int mask;
  private final int maxPacketLength;
  private final byte[] data;
  private final int[] lengths; // 0 = empty
  private final int[] seqs;
  private final long[] arrivalMs;

  private boolean started;
  private int highestSeq;

  private long stored;
  private long hits;
  private long misses;
  private long rejected;

  public PacketCache() {
    this(DEFAULT_SLOTS, DEFAULT_MAX_PACKET_LENGTH);
  }

  /** @param slots a power of two (so the slot is a mask, and 65536 is a multiple of it: wrap-around is seamless) */
  public PacketCache(int slots, int maxPacketLength) {
    if (slots < 1 || slots > 32768 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two in 1..32768: " + slots);
    }
    if (maxPacketLength < RtpHeader.FIXED_HEADER_LENGTH || (long) slots * maxPacketLength > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad maxPacketLength " + maxPacketLength);
    }
    this.mask = slots - 1;
    this.maxPacketLength = maxPacketLength;
    this.data = new byte[slots * maxPacketLength];
    this.lengths = new int[slots];
    this.seqs = new int[slots];
    this.arrivalMs = new long[slots];
  }

  /**
   * Stores a decrypted, valid RTP packet (the caller has checked {@link RtpHeader#isValid}). Duplicates replace
   * the stored copy. A packet arriving later than the whole cache window is not stored, so it cannot evict a newer
   * one; a jump back by 16384 or more is taken as the stream renumbering and starts over from there.
   *
   * @return whether the packet was stored
   */
  public boolean put(byte[] buf, int off, int len, long nowMs) {
    if (buf == null || off < 0 || len < RtpHeader.FIXED_HEADER_LENGTH || off > buf.length - len
        || len > maxPacketLength) {
      rejected++;
      return false;
    }
    int seq = RtpHeader.sequenceNumber(buf, off);
    if (!started) {
      started = true;
      highestSeq = seq;
    } else {
      int ahead = (seq - highestSeq) & 0xffff;
      int behind = 0x10000 - ahead;
      if (ahead < 0x8000) {
        highestSeq = seq;
      } else if (behind >= RENUMBER_BEHIND) {
        highestSeq = seq; // renumbered (same SSRC, new start): stale slots fail the seq check or age out
      } else if (behind > mask) {
        rejected++; // its slot holds a newer packet, which a viewer is more likely to ask for
        return false;
      }
    }
    int slot = seq & mask;
    System.arraycopy(buf, off, data, slot * maxPacketLength, len);
    lengths[slot] = len;
    seqs[slot] = seq;
    arrivalMs[slot] = nowMs;
    stored++;
    return true;
  }

  /**
   * Copies the packet with sequence number seq into dst.
   *
   * @param maxAgeMs packets that arrived longer ago are a miss: a viewer's jitter buffer has given up on them,
   *     and after a renumbering an old slot may hold the same seq from a different stretch of the stream
   * @return the length copied, or -1 on a miss (never stored, evicted, too old, or dst too small)
   */
  public int get(int seq, byte[] dst, int dstOff, long nowMs, long maxAgeMs) {
    int slot = seq & mask;
    int len = lengths[slot];
    if (len == 0 || seqs[slot] != (seq & 0xffff) || nowMs - arrivalMs[slot] > maxAgeMs || dst == null
        || dstOff < 0 || dstOff > dst.length - len) {
      misses++;
      return -1;
    }
    System.arraycopy(data, slot * maxPacketLength, dst, dstOff, len);
    hits++;
    return len;
  }

  /** Forgets everything (e.g. the presenter left); memory stays allocated for reuse. */
  public void clear() {
    java.util.Arrays.fill(lengths, 0);
    started = false;
  }

  public int slots() {
    return mask + 1;
  }

  public int maxPacketLength() {
    return maxPacketLength;
  }

  public long stored() {
    return stored;
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  /** Packets not stored: malformed bounds, longer than a slot, or later than the cache window. */
  public long rejected() {
    return rejected;
  }
}
