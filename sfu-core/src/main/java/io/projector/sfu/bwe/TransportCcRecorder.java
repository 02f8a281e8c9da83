package io.projector.sfu.bwe;

import static io.projector.sfu.bwe.TransportCcParser.DELTA_UNIT_US;
import static io.projector.sfu.bwe.TransportCcParser.HEADER_LENGTH;
import static io.projector.sfu.bwe.TransportCcParser.LARGE_DELTA;
import static io.projector.sfu.bwe.TransportCcParser.REFERENCE_TIME_UNIT_US;
import static io.projector.sfu.bwe.TransportCcParser.SMALL_DELTA;

import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;
import java.util.Arrays;

/**
 * The receive side of transport-wide congestion control, one per presenter: records when each transport-wide
 * sequence number arrived and writes the RTCP transport feedback (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01 §3.1) the presenter's browser needs to estimate its uplink and raise its encoder bitrate.
 *
 * <p>Each feedback covers the sequence numbers after the previous one up to the highest received; gaps are
 * reported "not received". A packet arriving after its feedback was written is counted late and dropped (the
 * sender already took it as lost, as with libwebrtc's receiver). Arrivals live in a ring of {@link #WINDOW}
 * slots indexed by the unwrapped sequence number, so memory is fixed and nothing is allocated per packet.
 * Owned by the session's worker thread.
 */
public final class TransportCcRecorder {
  /** Feedback larger than this is split, so it stays far from the path MTU after SRTCP overhead. */
  public static final int MAX_FEEDBACK_BYTES = 1200;
  public static final long DEFAULT_INTERVAL_US = 50_000;
  /** About 120 kB of video: keyframe bursts get feedback before the 50 ms timer. */
  public static final int DEFAULT_PACKETS_PER_FEEDBACK = 100;
  /** Sequence numbers remembered; older unreported ones are forgotten (counted in overflowed). */
  static final int WINDOW = 4096;
  private static final int MASK = WINDOW - 1;
  private static final int MAX_RUN_LENGTH = 0x1fff;
  private static final long NONE = Long.MIN_VALUE;

  private final long intervalUs;
  private final int packetsPerFeedback;
  /** Arrival time per unwrapped sequence number & MASK; NONE = not received. */
  private final long[] arrivalUs = new long[WINDOW];
  /** Scratch for writing: status symbol and delta (250 µs ticks) per sequence number of the feedback. */
  private final byte[] symbols = new byte[WINDOW];
  private final short[] deltaTicks = new short[WINDOW];

  private boolean started;
  /** Unwrapped highest sequence number received. */
  private long highest;
  /** Unwrapped first sequence number the next feedback covers. */
  private long next;
  /** Once a feedback is out, {@link #next} never moves back: the sender has already judged those packets. */
  private boolean reported;
  private int pendingPackets;
  private long lastFeedbackUs;
  private int feedbackCount;
  private long duplicatePackets;
  private long latePackets;
  private long overflowedPackets;

  public TransportCcRecorder() {
    this(DEFAULT_INTERVAL_US, DEFAULT_PACKETS_PER_FEEDBACK);
  }

  /**
   * @param intervalUs feedback is due this long after the previous one
   * @param packetsPerFeedback ... or as soon as this many packets arrived since it
   */
  public TransportCcRecorder(long intervalUs, int packetsPerFeedback) {
    if (intervalUs <= 0 || packetsPerFeedback <= 0) {
      throw new IllegalArgumentException("interval and packet count must be positive");
    }
    this.intervalUs = intervalUs;
    this.packetsPerFeedback = packetsPerFeedback;
    Arrays.fill(arrivalUs, NONE);
  }

  /** Records the arrival of a packet carrying transport-wide sequence number {@code transportSeq}. */
  public void onPacket(int transportSeq, long arrivalTimeUs) {
    int seq = transportSeq & 0xffff;
    if (!started) {
      started = true;
      highest = seq;
      next = seq;
      lastFeedbackUs = arrivalTimeUs;
    }
    long ext = highest + (short) (seq - (int) (highest & 0xffff));
    if (ext > highest) {
      clear(highest + 1, ext);
      highest = ext;
      if (highest - next >= WINDOW) {
        overflowedPackets += highest - WINDOW + 1 - next; // feedback was not written for too long
        next = highest - WINDOW + 1;
      }
    } else if (ext <= highest - WINDOW) {
      latePackets++;
      return;
    } else if (ext < next) {
      if (reported) {
        latePackets++;
        return;
      }
      clear(ext, next - 1); // the very first packets arrived out of order: start the first feedback earlier
      next = ext;
    }
    int slot = (int) (ext & MASK);
    if (arrivalUs[slot] != NONE) {
      duplicatePackets++;
      return;
    }
    arrivalUs[slot] = arrivalTimeUs;
    pendingPackets++;
  }

  /** Whether to write feedback now: packets are waiting and the interval passed or enough packets arrived. */
  public boolean feedbackDue(long nowUs) {
    return started && next <= highest
        && (pendingPackets >= packetsPerFeedback || nowUs - lastFeedbackUs >= intervalUs);
  }

  /**
   * Writes one transport-cc feedback packet at buf[off] covering the packets since the previous one, at most
   * {@link #MAX_FEEDBACK_BYTES} (and at most what buf has room for). When more remains (a long burst, or a
   * delta too large for 16 bits), the next call continues: call until it returns 0.
   *
   * @return bytes written, 0 when there is nothing new to report (or buf has no room)
   */
  public int writeFeedback(byte[] buf, int off, long senderSsrc, long mediaSsrc, long nowUs) {
    int budget = Math.min(MAX_FEEDBACK_BYTES, buf.length - off);
    if (!started || next > highest || budget < HEADER_LENGTH + 8) {
      return 0;
    }
    int n = (int) (highest - next + 1);
    long firstArrivalUs = NONE;
    for (int i = 0; i < n && firstArrivalUs == NONE; i++) {
      firstArrivalUs = arrivalUs[(int) ((next + i) & MASK)];
    }
    long referenceTime = Math.floorDiv(firstArrivalUs, REFERENCE_TIME_UNIT_US);
    n = classify(n, referenceTime * REFERENCE_TIME_UNIT_US);
    int limit = off + budget - 3; // room for alignment padding
    int pos = off + HEADER_LENGTH;
    int deltaBytes = 0;
    int covered = 0;
    while (covered < n) {
      int chunk = chooseChunk(covered, n);
      int take = TransportCcParser.capacity(chunk);
      int takeBytes = deltaBytes(covered, Math.min(take, n - covered));
      if (pos + 2 + deltaBytes + takeBytes > limit) {
        int perSymbol = symbols[covered];
        if ((chunk & 0x8000) != 0 || perSymbol == 0) {
          break; // a vector cannot shrink, and a shorter run of losses would save nothing
        }
        take = (limit - pos - 2 - deltaBytes) / perSymbol;
        if (take < 1) {
          break;
        }
        chunk = (perSymbol << 13) | take; // a shorter run that fits
        takeBytes = take * perSymbol;
      }
      Bytes.writeUint16(buf, pos, chunk);
      pos += 2;
      deltaBytes += takeBytes;
      covered += Math.min(take, n - covered);
    }
    if (covered == 0) {
      return 0; // buf has no room for even one chunk and its deltas
    }
    for (int i = 0; i < covered; i++) {
      if (symbols[i] == SMALL_DELTA) {
        buf[pos++] = (byte) deltaTicks[i];
      } else if (symbols[i] == LARGE_DELTA) {
        Bytes.writeUint16(buf, pos, deltaTicks[i]);
        pos += 2;
      }
    }
    int length = (pos - off + 3) & ~3;
    int padding = length - (pos - off);
    if (padding > 0) { // as libwebrtc writes it: zeros, then the count in the last byte, with the P bit set
      Arrays.fill(buf, pos, off + length - 1, (byte) 0);
      buf[off + length - 1] = (byte) padding;
    }
    buf[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | RtcpHeader.FMT_TRANSPORT_CC);
    buf[off + 1] = (byte) RtcpHeader.RTPFB;
    Bytes.writeUint16(buf, off + 2, length / 4 - 1);
    Bytes.writeUint32(buf, off + 4, senderSsrc);
    Bytes.writeUint32(buf, off + 8, mediaSsrc);
    Bytes.writeUint16(buf, off + 12, (int) (next & 0xffff));
    Bytes.writeUint16(buf, off + 14, covered);
    Bytes.writeUint24(buf, off + 16, (int) (referenceTime & 0xffffff)); // two's complement = mod 2^24
    buf[off + 19] = (byte) feedbackCount;
    feedbackCount = (feedbackCount + 1) & 0xff;
    next += covered;
    reported = true;
    lastFeedbackUs = nowUs;
    if (next > highest) {
      pendingPackets = 0;
    }
    return length;
  }

  /**
   * Fills symbols and deltas for the n sequence numbers from {@link #next}, deltas quantized cumulatively
   * (each relative to the previous quantized time, so rounding never drifts).
   *
   * @return how many fit: stops before a packet whose delta does not fit in 16 signed bits
   */
  private int classify(int n, long referenceUs) {
    long lastUs = referenceUs;
    for (int i = 0; i < n; i++) {
      long a = arrivalUs[(int) ((next + i) & MASK)];
      if (a == NONE) {
        symbols[i] = TransportCcParser.NOT_RECEIVED;
        continue;
      }
      long ticks = Math.floorDiv(a - lastUs + DELTA_UNIT_US / 2, DELTA_UNIT_US);
      if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
        return i; // the next feedback, with its own reference time, starts here
      }
      symbols[i] = (byte) (ticks >= 0 && ticks <= 0xff ? SMALL_DELTA : LARGE_DELTA);
      deltaTicks[i] = (short) ticks;
      lastUs += ticks * DELTA_UNIT_US;
    }
    return n;
  }

  /**
   * Greedy chunk choice for the symbols from i: a run when it covers at least as much as a vector could,
   * else a 1-bit vector when the next 14 symbols need no large delta, else a 2-bit vector. Every chunk but
   * the last covers at least 7 symbols. Vector slots past n are zero and ignored by the status count.
   */
  private int chooseChunk(int i, int n) {
    int remaining = n - i;
    int s = symbols[i];
    int run = 1;
    while (run < remaining && run < MAX_RUN_LENGTH && symbols[i + run] == s) {
      run++;
    }
    if (run >= 14 || run == remaining) {
      return (s << 13) | run;
    }
    int k = Math.min(14, remaining);
    boolean small = true;
    for (int j = 0; j < k && small; j++) {
      small = symbols[i + j] <= SMALL_DELTA;
    }
    if (small) {
      int chunk = 0x8000;
      for (int j = 0; j < k; j++) {
        chunk |= symbols[i + j] << (13 - j);
      }
      return chunk;
    }
    if (run >= 7) {
      return (s << 13) | run;
    }
    int chunk = 0xc000;
    for (int j = 0, m = Math.min(7, remaining); j < m; j++) {
      chunk |= symbols[i + j] << (12 - 2 * j);
    }
    return chunk;
  }

  private int deltaBytes(int from, int count) {
    int bytes = 0;
    for (int i = from; i < from + count; i++) {
      bytes += symbols[i]; // symbol value = delta size in bytes
    }
    return bytes;
  }

  /** Marks unwrapped sequence numbers [from, to] not received; a span wider than the ring clears it all. */
  private void clear(long from, long to) {
    if (to - from + 1 >= WINDOW) {
      Arrays.fill(arrivalUs, NONE);
      return;
    }
    for (long s = from; s <= to; s++) {
      arrivalUs[(int) (s & MASK)] = NONE;
    }
  }

  public long duplicatePackets() {
    return duplicatePackets;
  }

  /** Packets that arrived after the feedback covering them was written, or too far behind to place. */
  public long latePackets() {
    return latePackets;
  }

  /** Sequence numbers dropped unreported because feedback was not written for {@link #WINDOW} packets. */
  public long overflowedPackets() {
    return overflowedPackets;
  }

  /** The feedback packet count the next feedback will carry. */
  public int nextFeedbackCount() {
    return feedbackCount;
  }
}
