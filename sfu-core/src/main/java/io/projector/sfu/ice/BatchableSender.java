package io.projector.sfu.ice;

import io.projector.sfu.udp.NativeRoute;

/** A {@link DatagramSender} whose datagrams the send lanes may hand to the kernel in batches. */
public interface BatchableSender extends DatagramSender {
  /**
   * The socket and destination of the next datagram, or null to send it with {@link #send} (no route yet, or
   * the socket's descriptor is unknown). Called on the send lane's thread, right before the send.
   */
  NativeRoute nativeRoute();
}
