package io.projector.sfu.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.projector.sfu.udp.KernelTimestamps;
import io.projector.sfu.udp.SocketFd;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** What code called from a media port's reading thread learns about a datagram's arrival. */
class ReceiveThreadTest {
  @Test
  void onAReadingThreadTheArrivalIsTheKernelsStampNotTheRead() throws Exception {
    assumeTrue(KernelTimestamps.available() && SocketFd.readable());
    try (DatagramChannel socket = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CountDownLatch stampsOn = new CountDownLatch(1);
      CountDownLatch sent = new CountDownLatch(1);
      AtomicLong arrivalNs = new AtomicLong(-1);
      AtomicLong readNs = new AtomicLong(-1);
      ReceiveThread reader = new ReceiveThread(() -> {
        ((ReceiveThread) Thread.currentThread()).enableStamps();
        stampsOn.countDown();
        try {
          sent.await();
          LockSupport.parkNanos(40_000_000L); // a reading thread that is late: the datagram waits meanwhile
          socket.receive(ByteBuffer.allocate(64));
          long now = System.nanoTime();
          readNs.set(now);
          arrivalNs.set(ReceiveThread.arrivalNs(now));
        } catch (Exception e) {
          arrivalNs.set(-2);
        }
      }, "test-reader", SocketFd.of(socket));
      reader.start();
      stampsOn.await();
      long sentNs = System.nanoTime();
      sender.send(ByteBuffer.wrap(new byte[] {7}), socket.getLocalAddress());
      sent.countDown();
      reader.join(10_000);
      assertTrue(arrivalNs.get() > 0, "the reader failed: " + arrivalNs.get());
      assertTrue(arrivalNs.get() >= sentNs - 2_000_000 && arrivalNs.get() <= sentNs + 20_000_000,
          "arrived " + (arrivalNs.get() - sentNs) / 1000 + " µs after the send");
      assertTrue(readNs.get() - arrivalNs.get() >= 35_000_000,
          "read " + (readNs.get() - arrivalNs.get()) / 1000 + " µs after its arrival");
    }
  }

  @Test
  void elsewhereItIsNow() {
    assertEquals(123_456_789L, ReceiveThread.arrivalNs(123_456_789L));
  }
}
