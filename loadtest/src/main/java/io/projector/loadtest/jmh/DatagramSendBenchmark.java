package io.projector.loadtest.jmh;

import io.projector.sfu.udp.MmsgBatch;
import io.projector.sfu.udp.SockAddr;
import io.projector.sfu.udp.Sendmmsg;
import io.projector.sfu.udp.SocketFd;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The last part of a forwarded packet's cost per viewer: one UDP send of a protected viewer packet (1224 bytes:
 * 1208 + the GCM tag) over loopback, to a socket nobody reads (the kernel drops what does not fit its buffer).
 * Not our code: {@link #datagramSocket} is the JDK call ice4j's {@code Component.send} ends in (ice4j adds a
 * {@code DatagramPacket} and an {@code AddressAndSocket} per call on top); {@link #datagramChannel} is the
 * allocation-free NIO call. Each is one syscall per datagram. {@link #sendmmsg64} is what the SFU's send lanes do
 * on Linux: 64 datagrams, each to its own receiver, in one {@code sendmmsg} call (sfu-core's {@code udp}
 * package); its score is per datagram.
 */
@Fork(jvmArgsAppend = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DatagramSendBenchmark {
  private static final int DATAGRAM_BYTES = 1224;

  private DatagramSocket receiver;
  private DatagramSocket socket;
  private DatagramPacket packet;
  private DatagramChannel channel;
  private final ByteBuffer direct = ByteBuffer.allocateDirect(DATAGRAM_BYTES);
  private SocketAddress target;
  private DatagramChannel batchChannel;
  private int batchFd;
  private final DatagramSocket[] batchReceivers = new DatagramSocket[MmsgBatch.CAPACITY];
  private final byte[][] batchTargets = new byte[MmsgBatch.CAPACITY][];
  private final ByteBuffer batchData = ByteBuffer.allocateDirect(DATAGRAM_BYTES);
  private long batchDataAddress;
  private MmsgBatch batch;

  @Setup
  public void open() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    receiver = new DatagramSocket(new InetSocketAddress(loopback, 0));
    target = receiver.getLocalSocketAddress();
    socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
    packet = new DatagramPacket(new byte[DATAGRAM_BYTES], DATAGRAM_BYTES, target);
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(loopback, 0));
    if (Sendmmsg.available()) {
      batchChannel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
      batchChannel.bind(new InetSocketAddress(loopback, 0));
      batchFd = SocketFd.of(batchChannel);
      for (int i = 0; i < batchReceivers.length; i++) {
        batchReceivers[i] = new DatagramSocket(new InetSocketAddress(loopback, 0));
        batchTargets[i] = SockAddr.encode((InetSocketAddress) batchReceivers[i].getLocalSocketAddress(), false);
      }
      batch = new MmsgBatch();
      batchDataAddress = MmsgBatch.addressOf(batchData);
    }
  }

  @TearDown
  public void close() throws IOException {
    if (batchChannel != null) {
      batchChannel.close();
      for (DatagramSocket r : batchReceivers) {
        r.close();
      }
    }
    channel.close();
    socket.close();
    receiver.close();
  }

  /** One packet object reused for every send, as a per-viewer packet would be. */
  @Benchmark
  public void datagramSocket() throws IOException {
    socket.send(packet);
  }

  @Benchmark
  public int datagramChannel() throws IOException {
    direct.clear();
    return channel.send(direct, target);
  }

  /** Per datagram: one sendmmsg call carries 64, each to its own receiver. */
  @Benchmark
  @OperationsPerInvocation(MmsgBatch.CAPACITY)
  public int sendmmsg64() {
    if (batch == null || batchFd < 0) {
      throw new IllegalStateException("sendmmsg unavailable here: " + Sendmmsg.unavailableReason()
          + (SocketFd.readable() ? "" : "; socket descriptors hidden (needs --add-exports)"));
    }
    for (int i = 0; i < MmsgBatch.CAPACITY; i++) {
      batch.add(batchFd, batchDataAddress, DATAGRAM_BYTES, batchTargets[i]);
    }
    return batch.send();
  }
}
