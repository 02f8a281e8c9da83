package io.projector.sfu.udp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * When a datagram reached the host, as the kernel stamped it ({@code ioctl(SIOCGSTAMPNS)}: the arrival time of the
 * datagram last read from a socket), instead of when our reading thread got round to it.
 *
 * <p>Why: the presenter's congestion controller (Chrome's GCC) reads our transport-wide feedback as a delay signal.
 * A reading thread that waits for a CPU — a busy SFU, or the two shared cores of the test machine — would report
 * packets that queued in our socket buffer as packets delayed by the network: the presenter would see congestion
 * that is not there and lower its bitrate. The kernel's stamp is taken when the packet enters the host.
 *
 * <p>Linux on 64-bit x86 and ARM (the {@code timespec} layout and the request number used here); elsewhere
 * {@link Reader#lastArrivalNs} returns -1 and callers use the time of the read.
 */
public final class KernelTimestamps {
  /** {@code SIOCGSTAMPNS} (asm-generic/sockios.h; {@code _OLD}, which is 64-bit on LP64). */
  static final long SIOCGSTAMPNS = 0x8907;
  static final int CLOCK_REALTIME = 0;
  /** A stamp this far from the read is not this datagram's (clock stepped, stamping not on yet). */
  static final long PLAUSIBLE_AGE_NS = 1_000_000_000L;
  static final long OFFSET_REFRESH_NS = 1_000_000_000L;
  private static final String UNAVAILABLE_REASON = Libc.register(KernelTimestamps.class, "ioctl/clock_gettime");

  private KernelTimestamps() {}

  public static boolean available() {
    return UNAVAILABLE_REASON == null;
  }

  /** Why not, for the start-up log; null when available. */
  public static String unavailableReason() {
    return UNAVAILABLE_REASON;
  }

  static native int ioctl(int fd, long request, long argp);

  static native int clock_gettime(int clockId, long timespec);

  /**
   * Reads arrival stamps for one thread (not thread-safe; one per reading thread). Allocates nothing per call.
   */
  public static final class Reader {
    private final ByteBuffer memory = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
    private final long stamp = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
    private final long clock = stamp + 16;
    private long realtimeMinusNanoTimeNs;
    private long offsetAtNs;
    private boolean offsetKnown;

    /**
     * Turns stamping on for the socket (the kernel starts on the first request; datagrams that arrived before are
     * not stamped). Call before reading from it.
     */
    public void enable(int fd) {
      if (available() && fd >= 0) {
        ioctl(fd, SIOCGSTAMPNS, stamp);
      }
    }

    /**
     * The arrival of the datagram last read from {@code fd} by this thread, on the {@link System#nanoTime()}
     * scale; -1 when unknown (no stamp, not Linux, or an implausible one).
     *
     * @param nowNs {@link System#nanoTime()} now
     */
    public long lastArrivalNs(int fd, long nowNs) {
      if (!available() || fd < 0 || ioctl(fd, SIOCGSTAMPNS, stamp) != 0) {
        return -1;
      }
      long realtimeNs = memory.getLong(0) * 1_000_000_000L + memory.getLong(8);
      if (!offsetKnown || nowNs - offsetAtNs >= OFFSET_REFRESH_NS) {
        if (!refreshOffset()) {
          return -1;
        }
      }
      long arrivalNs = realtimeNs - realtimeMinusNanoTimeNs;
      long ageNs = nowNs - arrivalNs;
      // A little into the future is the offset's own error (microseconds); more, or very old, is not this packet.
      return ageNs < -1_000_000 || ageNs > PLAUSIBLE_AGE_NS ? -1 : Math.min(arrivalNs, nowNs);
    }

    /** Measures CLOCK_REALTIME − nanoTime, bracketed by two nanoTime reads. */
    private boolean refreshOffset() {
      long before = System.nanoTime();
      if (clock_gettime(CLOCK_REALTIME, clock) != 0) {
        return false;
      }
      long after = System.nanoTime();
      long realtimeNs = memory.getLong(16) * 1_000_000_000L + memory.getLong(24);
      realtimeMinusNanoTimeNs = realtimeNs - (before + (after - before) / 2);
      offsetAtNs = after;
      offsetKnown = true;
      return true;
    }
  }
}
