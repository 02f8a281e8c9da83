package io.projector.sfu.udp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Linux's {@code sendmmsg(2)}, reached through JNA's direct mapping: several datagrams, each to its own
 * destination, in one system call. The JDK sends one datagram per call; on a fan-out to hundreds of viewers the
 * per-call cost (entering and leaving the kernel, the JDK's own bookkeeping) is a large part of the server's CPU.
 *
 * <p>Available on Linux on 64-bit x86 and ARM, where {@link MmsgBatch}'s struct layout holds; elsewhere callers
 * send one datagram at a time as before. The call takes addresses as {@code long}: no object is allocated per call.
 */
public final class Sendmmsg {
  private static final String UNAVAILABLE_REASON = load();

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

  private static String load() {
    String arch = System.getProperty("os.arch", "");
    if (!Platform.isLinux() || !Platform.is64Bit() || !(arch.equals("amd64") || arch.equals("x86_64")
        || arch.equals("aarch64"))) {
      return "not Linux on x86-64 or aarch64 (" + System.getProperty("os.name") + " " + arch + ")";
    }
    try {
      Native.register(Sendmmsg.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
      return null;
    } catch (Throwable e) { // UnsatisfiedLinkError, or JNA's native part missing
      return "libc's sendmmsg not reachable through JNA: " + e;
    }
  }
}
