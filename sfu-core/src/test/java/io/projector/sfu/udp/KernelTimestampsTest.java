package io.projector.sfu.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback: the stamp says when the datagram arrived, not when it was read. */
class KernelTimestampsTest {
  @Test
  void aDatagramReadLateIsStampedWithItsArrival() throws Exception {
    assumeTrue(KernelTimestamps.available(), KernelTimestamps::unavailableReason);
    assumeTrue(SocketFd.readable(), "the JVM does not export sun.nio.ch to read the descriptor");
    try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
      receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int fd = SocketFd.of(receiver);
      KernelTimestamps.Reader reader = new KernelTimestamps.Reader();
      reader.enable(fd);
      ByteBuffer in = ByteBuffer.allocate(100);
      for (int i = 0; i < 3; i++) {
        long sentNs = System.nanoTime();
        sender.send(ByteBuffer.wrap(new byte[] {1, 2, (byte) i}), receiver.getLocalAddress());
        // The reading thread is late: the datagram waits in the socket buffer meanwhile.
        LockSupport.parkNanos(40_000_000L);
        in.clear();
        receiver.receive(in);
        assertEquals(i, in.get(2));
        long readNs = System.nanoTime();
        long arrivalNs = reader.lastArrivalNs(fd, readNs);
        assertTrue(arrivalNs > 0, "no stamp");
        assertTrue(arrivalNs >= sentNs - 2_000_000 && arrivalNs <= sentNs + 20_000_000,
            "arrived " + (arrivalNs - sentNs) / 1000 + " µs after the send");
        assertTrue(readNs - arrivalNs >= 35_000_000, "read " + (readNs - arrivalNs) / 1000 + " µs after arrival");
      }
    }
  }

  @Test
  void noStampForADescriptorThatIsNotASocket() {
    assumeTrue(KernelTimestamps.available(), KernelTimestamps::unavailableReason);
    assertEquals(-1, new KernelTimestamps.Reader().lastArrivalNs(-1, System.nanoTime()));
    assertEquals(-1, new KernelTimestamps.Reader().lastArrivalNs(0, System.nanoTime()), "stdin is no socket");
  }
}
