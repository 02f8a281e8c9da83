package io.projector.loadtest.jmh;

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
import org.openjdk.jmh.annotations.Mode;
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
 * allocation-free NIO call the SFU could use if it owned the socket. The JDK has no sendmmsg: each is one
 * syscall per datagram.
 */
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

  @Setup
  public void open() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    receiver = new DatagramSocket(new InetSocketAddress(loopback, 0));
    target = receiver.getLocalSocketAddress();
    socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
    packet = new DatagramPacket(new byte[DATAGRAM_BYTES], DATAGRAM_BYTES, target);
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(loopback, 0));
  }

  @TearDown
  public void close() throws IOException {
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
}
