package io.projector.sfu.dtls;

import java.io.IOException;

/** Sends one DTLS datagram to the peer (typically over the ICE-selected candidate pair). */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] buf, int off, int len) throws IOException;
}
