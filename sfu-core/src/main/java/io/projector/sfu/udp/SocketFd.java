package io.projector.sfu.udp;

import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;

/**
 * The file descriptor under a JDK {@link DatagramChannel}, which {@link Sendmmsg} needs. The JDK keeps it in an
 * internal interface, {@code sun.nio.ch.SelChImpl#getFDVal()}: reachable only when the JVM exports that package
 * to us ({@code Add-Exports: java.base/sun.nio.ch} in the server jar's manifest, or
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}). Without it the descriptor is unknown and the server
 * sends one datagram per call, as the JDK does.
 */
public final class SocketFd {
  private static final Method GET_FD_VAL = find();

  private SocketFd() {}

  /** The descriptor, or -1 when the JVM does not let us read it. */
  public static int of(DatagramChannel channel) {
    if (GET_FD_VAL == null) {
      return -1;
    }
    try {
      return (int) GET_FD_VAL.invoke(channel);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether descriptors can be read at all (the package is exported to us). */
  public static boolean readable() {
    return GET_FD_VAL != null;
  }

  private static Method find() {
    try {
      Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
      if (!selChImpl.getModule().isExported("sun.nio.ch", SocketFd.class.getModule())) {
        return null;
      }
      return selChImpl.getMethod("getFDVal");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
