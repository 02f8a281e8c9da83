package io.projector.sfu.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.projector.sfu.udp.NativeRoute;
import io.projector.sfu.udp.SockAddr;
import io.projector.sfu.udp.Sendmmsg;
import io.projector.sfu.udp.SocketFd;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The send lanes' sendmmsg path over real loopback sockets: every datagram reaches its own receiver, complete and
 * in order, through batches that mix destinations; a destination the kernel refuses costs only its own datagram.
 */
class BatchedSendTest {
  private static final int ROUND = 25;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) { // lanes before the sockets they write to
      closeables.get(i).close();
    }
  }

  /** A peer reached through sendmmsg: the test's channel's descriptor and the receiver's address. */
  private static final class Peer implements BatchableSender {
    final NativeRoute route;
    final AtomicInteger sentOneByOne = new AtomicInteger();

    Peer(int fd, InetSocketAddress to, boolean ipv6Socket) {
      route = new NativeRoute(fd, SockAddr.encode(to, ipv6Socket));
    }

    @Override
    public NativeRoute nativeRoute() {
      return route;
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      sentOneByOne.incrementAndGet();
      return false;
    }
  }

  @Test
  void onLinuxTheBatchedPathIsActive() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"));
    assertTrue(Sendmmsg.available(), "sendmmsg: " + Sendmmsg.unavailableReason());
    assertTrue(SocketFd.readable(), "the build runs tests with --add-exports java.base/sun.nio.ch=ALL-UNNAMED");
  }

  @Test
  void everyViewerGetsItsOwnDatagramsCompleteAndInOrderIPv4() throws Exception {
    fanOut(InetAddress.getByName("127.0.0.1"), StandardProtocolFamily.INET, false);
  }

  @Test
  void everyViewerGetsItsOwnDatagramsCompleteAndInOrderIPv6() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
      probe.getLocalPort();
    } catch (Exception e) {
      assumeTrue(false, "no IPv6 loopback here: " + e);
    }
    fanOut(v6, StandardProtocolFamily.INET6, true);
  }

  @Test
  void anIpv4ViewerOnADualStackSocketGetsAMappedAddress() throws Exception {
    fanOut(InetAddress.getByName("127.0.0.1"), StandardProtocolFamily.INET6, true);
  }

  private void fanOut(InetAddress loopback, StandardProtocolFamily family, boolean ipv6Socket) throws Exception {
    assumeTrue(Sendmmsg.available() && SocketFd.readable());
    DatagramChannel server = open(family);
    server.bind(new InetSocketAddress(family == StandardProtocolFamily.INET6 ? InetAddress.getByName("::")
        : loopback, 0));
    int fd = SocketFd.of(server);
    assertTrue(fd >= 0);
    int viewers = 20;
    int packets = 150;
    DatagramSocket[] receivers = new DatagramSocket[viewers];
    Peer[] peers = new Peer[viewers];
    LongAdder dropped = new LongAdder();
    SendLanes lanes = new SendLanes(2, dropped, new LongAdder(), true);
    closeables.add(lanes);
    DatagramSender[] bound = new DatagramSender[viewers];
    for (int v = 0; v < viewers; v++) {
      receivers[v] = new DatagramSocket(new InetSocketAddress(loopback, 0));
      receivers[v].setSoTimeout(10_000);
      closeables.add(receivers[v]);
      peers[v] = new Peer(fd, (InetSocketAddress) receivers[v].getLocalSocketAddress(), ipv6Socket);
      bound[v] = lanes.bind(peers[v]);
    }
    byte[] buf = new byte[1200];
    byte[] in = new byte[2048];
    // Rounds small enough for the receivers' default socket buffers (no datagram may be lost on their side).
    for (int round = 0; round < packets; round += ROUND) {
      for (int p = round; p < round + ROUND; p++) {
        for (int v = 0; v < viewers; v++) {
          assertTrue(bound[v].send(payload(buf, v, p), 0, 100 + p % 1000));
        }
      }
      for (int v = 0; v < viewers; v++) {
        for (int p = round; p < round + ROUND; p++) {
          DatagramPacket d = new DatagramPacket(in, in.length);
          receivers[v].receive(d);
          int len = 100 + p % 1000;
          assertEquals(len, d.getLength(), "viewer " + v + " packet " + p + ": length");
          assertArrayEquals(Arrays.copyOf(payload(new byte[1200], v, p), len), Arrays.copyOf(in, len),
              "viewer " + v + " packet " + p + ": content and order");
          assertEquals(((InetSocketAddress) server.getLocalAddress()).getPort(), d.getPort(), "from the server");
        }
      }
    }
    for (int v = 0; v < viewers; v++) {
      assertEquals(0, peers[v].sentOneByOne.get(), "all through sendmmsg");
    }
    assertEquals(0, dropped.sum());
  }

  @Test
  void aRefusedDestinationLosesOnlyItsOwnDatagrams() throws Exception {
    assumeTrue(Sendmmsg.available() && SocketFd.readable());
    DatagramChannel server = open(StandardProtocolFamily.INET);
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    int fd = SocketFd.of(server);
    DatagramSocket good = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    good.setSoTimeout(10_000);
    closeables.add(good);
    // Broadcast without SO_BROADCAST: the kernel refuses it (EACCES) in the middle of each batch.
    Peer refused = new Peer(fd, new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 9), false);
    Peer ok = new Peer(fd, (InetSocketAddress) good.getLocalSocketAddress(), false);
    LongAdder failed = new LongAdder();
    SendLanes lanes = new SendLanes(1, new LongAdder(), failed, true);
    closeables.add(lanes);
    DatagramSender toRefused = lanes.bind(refused);
    DatagramSender toGood = lanes.bind(ok);
    byte[] buf = new byte[200];
    byte[] in = new byte[2048];
    for (int round = 0; round < 300; round += ROUND) {
      for (int p = round; p < round + ROUND; p++) {
        toRefused.send(payload(buf, 1, p), 0, buf.length);
        toGood.send(payload(buf, 2, p), 0, buf.length);
      }
      for (int p = round; p < round + ROUND; p++) {
        DatagramPacket d = new DatagramPacket(in, in.length);
        good.receive(d);
        assertArrayEquals(payload(new byte[200], 2, p), Arrays.copyOf(in, d.getLength()), "packet " + p);
      }
    }
    // The lane counts a refused datagram when its batch's call returns, which may be after the good datagrams of
    // that batch were read here: wait for the count, with a deadline.
    long deadlineNs = System.nanoTime() + 5_000_000_000L;
    while (failed.sum() < 300 && System.nanoTime() < deadlineNs) {
      Thread.onSpinWait();
    }
    assertEquals(300, failed.sum(), "each refused datagram counted");
  }

  private DatagramChannel open(StandardProtocolFamily family) throws Exception {
    DatagramChannel ch = DatagramChannel.open(family);
    closeables.add(ch);
    return ch;
  }

  /** Bytes that say which viewer and packet they are for, all through the datagram. */
  private static byte[] payload(byte[] buf, int viewer, int packet) {
    for (int i = 0; i < buf.length; i++) {
      buf[i] = (byte) (viewer * 31 + packet * 7 + i);
    }
    return buf;
  }
}
