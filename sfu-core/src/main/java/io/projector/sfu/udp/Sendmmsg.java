package io.projector.sfu.udp;


/**
 * Linux's {@code sendmmsg(2)}, reached through JNA's direct mapping: several datagrams, each to its own
 * destination, in one system call. The JDK sends one datagram per call; on a fan-out to hundreds of viewers the
 * per-call cost (entering and leaving the kernel, the JDK's own bookkeeping) is a large part of the server's CPU.
 *
 * <p>Available on Linux on 64-bit x86 and ARM, where {@link MmsgBatch}'s struct layout holds; elsewhere callers
 * send one datagram at a time as before. The call takes addresses as {@code long}: no object is allocated per call.
 */
public final class Sendmmsg {
  private static final String UNAVAILABLE_REASON = Libc.register(Sendmmsg.class, "sendmmsg");

  private Sendmmsg() {}

  /** Whether {@link #sendmmsg} can be called. */
  public static boolean available() {
    return UNAVAILABLE_REASON == null;
  }

  /** Why it cannot, for the start-up log; null when it can. */
  public static String unavailableReason() {
    return UNAVAILABLE_REASON;
  }

  /**
   * @param fd a UDP socket's descriptor
   * @param msgvec address of {@code vlen} {@code struct mmsghdr}
   * @return datagrams sent (the first {@code n} of the vector), or -1 when the first one failed
   */
  static native int sendmmsg(int fd, long msgvec, int vlen, int flags);
}
