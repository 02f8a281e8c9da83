package io.projector.sfu.ice;

import io.projector.sfu.udp.KernelTimestamps;

/**
 * The thread that reads one media-port socket. It can say when the datagram it just read reached the host (the
 * kernel's stamp, see {@link KernelTimestamps}), for code it calls on the way (the session's packet queue).
 */
public final class ReceiveThread extends Thread {
  private final int fd;
  private final KernelTimestamps.Reader stamps = new KernelTimestamps.Reader();

  ReceiveThread(Runnable loop, String name, int fd) {
    super(loop, name);
    this.fd = fd;
  }

  /** Called by the thread itself before its first read. */
  void enableStamps() {
    stamps.enable(fd);
  }

  /**
   * When the datagram being handled reached the host, on the {@link System#nanoTime()} scale: the kernel's stamp
   * when called on a media port's reading thread (before it reads the next one) and the stamp is known, else
   * {@code nowNs}.
   */
  public static long arrivalNs(long nowNs) {
    if (Thread.currentThread() instanceof ReceiveThread t) {
      long arrival = t.stamps.lastArrivalNs(t.fd, nowNs);
      if (arrival > 0) {
        return arrival;
      }
    }
    return nowNs;
  }
}
