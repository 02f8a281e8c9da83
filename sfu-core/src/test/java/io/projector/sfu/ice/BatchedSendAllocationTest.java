package io.projector.sfu.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.projector.sfu.srtp.ThreadAllocation;
import io.projector.sfu.udp.NativeRoute;
import io.projector.sfu.udp.SockAddr;
import io.projector.sfu.udp.Sendmmsg;
import io.projector.sfu.udp.SocketFd;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The batched send path allocates nothing per datagram, on either side: the session worker's hand-off to a lane
 * (copy into the native ring) and the lane's sendmmsg calls. Real loopback sockets; the lane's own allocation is
 * read from the JVM's per-thread counter. Runs in the allocation-tests execution (escape analysis off).
 */
class BatchedSendAllocationTest {
  private static final int WARM_UP = 30_000;
  private static final int MEASURED = 50_000;
  private static final int VIEWERS = 8;
  private static final long MAX_TOTAL_BYTES = 1024;

  @Test
  void handOffAndSendmmsgAllocateNothingPerDatagram() throws Exception {
    assumeTrue(ThreadAllocation.countsEveryAllocation(), ThreadAllocation.ONLY_WITHOUT_ESCAPE_ANALYSIS);
    assumeTrue(Sendmmsg.available() && SocketFd.readable(), "batched sends need Linux and the sun.nio.ch export");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    DatagramSocket[] receivers = new DatagramSocket[VIEWERS]; // nobody reads: the kernel drops what overflows
    LongAdder failed = new LongAdder();
    try (DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET);
        SendLanes lanes = new SendLanes(1, new LongAdder(), failed, true)) {
      server.bind(new InetSocketAddress(loopback, 0));
      int fd = SocketFd.of(server);
      DatagramSender[] viewers = new DatagramSender[VIEWERS];
      for (int v = 0; v < VIEWERS; v++) {
        receivers[v] = new DatagramSocket(new InetSocketAddress(loopback, 0));
        NativeRoute route = new NativeRoute(fd,
            SockAddr.encode((InetSocketAddress) receivers[v].getLocalSocketAddress(), false));
        viewers[v] = lanes.bind(new BatchableSender() {
          @Override
          public NativeRoute nativeRoute() {
            return route;
          }

          @Override
          public boolean send(byte[] buf, int off, int len) {
            throw new AssertionError("a datagram with a native route went the one-by-one way");
          }
        });
      }
      Thread lane = lanes.threads().get(0);
      byte[] packet = new byte[1224];

      offer(viewers, packet, WARM_UP);
      awaitTaken(lanes, WARM_UP);
      long workerBefore = ThreadAllocation.bytes();
      long laneBefore = ThreadAllocation.bytesOf(lane);
      offer(viewers, packet, MEASURED);
      long workerBytes = ThreadAllocation.bytes() - workerBefore;
      awaitTaken(lanes, WARM_UP + MEASURED);
      long laneBytes = ThreadAllocation.bytesOf(lane) - laneBefore;

      assertEquals(0, failed.sum(), "every datagram accepted by the kernel");
      // In total, not per datagram: a batch carries up to 64 datagrams, so even 16 B per call would be under a
      // byte per datagram; over 50,000 datagrams nothing at all may be allocated per call or per datagram.
      assertTrue(workerBytes < MAX_TOTAL_BYTES, "hand-off allocated " + workerBytes + " B for " + MEASURED);
      assertTrue(laneBytes < MAX_TOTAL_BYTES, "send lane allocated " + laneBytes + " B for " + MEASURED);
    } finally {
      for (DatagramSocket r : receivers) {
        if (r != null) {
          r.close();
        }
      }
    }
  }

  /** Offers n datagrams round-robin, waiting for ring room rather than dropping (the lane drains meanwhile). */
  private static void offer(DatagramSender[] viewers, byte[] packet, int n) {
    for (int i = 0; i < n; i++) {
      while (!viewers[i % viewers.length].send(packet, 0, packet.length)) {
        Thread.onSpinWait();
      }
    }
  }

  private static void awaitTaken(SendLanes lanes, long n) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (lanes.taken() < n) {
      assertTrue(System.nanoTime() < deadline, "the lane took " + lanes.taken() + " of " + n);
      Thread.onSpinWait();
    }
  }
}
