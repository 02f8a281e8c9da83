package io.projector.sfu.ice;

/** Sends one datagram to a peer, on whatever path its ICE agent selected. */
@FunctionalInterface
public interface DatagramSender {
  /**
   * Sends buf[off, off + len) as one datagram. Never throws: a failure (no usable path yet, a socket error) is a
   * false the caller counts.
   */
  boolean send(byte[] buf, int off, int len);
}
