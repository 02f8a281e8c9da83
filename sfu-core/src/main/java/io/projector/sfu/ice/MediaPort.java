package io.projector.sfu.ice;

import io.projector.sfu.MediaCounters;
import io.projector.sfu.udp.SocketFd;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one UDP port that carries all media (STUN, DTLS, RTP, RTCP) for every peer, and the ICE-lite agent that
 * answers the browsers' connectivity checks on it.
 *
 * <p>One socket is bound per local address, all on the same port, each read by one thread. A datagram is routed
 * by its source address: STUN goes to the {@link StunResponder}, which knows the peer by the ufrag in USERNAME;
 * anything else goes to the peer whose authenticated check came from that address, and datagrams from any other
 * address are dropped (counted). No socket, queue or thread per peer: a peer costs two map entries.
 *
 * <p>We enumerate local addresses ourselves (loopback included), so a browser on the same machine reaches us
 * on 127.0.0.1 and operators can restrict binding to chosen addresses.
 */
public final class MediaPort implements AutoCloseable {
  /** Larger than any datagram a browser sends (MTU-sized); longer ones are truncated and then fail to parse. */
  private static final int RECEIVE_BUFFER_BYTES = 2048;
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  private final List<BoundSocket> sockets;
  private final int port;
  private final MediaCounters counters;
  private final Map<String, IceTransport> byLocalUfrag = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, IceTransport> byRemoteAddress = new ConcurrentHashMap<>();
  private final StunResponder responder = new StunResponder(byLocalUfrag::get);
  private volatile boolean closed;

  private MediaPort(List<BoundSocket> sockets, int port, MediaCounters counters) {
    this.sockets = sockets;
    this.port = port;
    this.counters = counters;
    for (BoundSocket s : sockets) {
      Thread t = new ReceiveThread(() -> readLoop(s), "media-port-" + s.socket().getLocalAddress().getHostAddress(),
          s.fd());
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Binds {@code port} on each address; with port 0 the first bind picks a free port and the others reuse it.
   *
   * @param bindAddresses addresses to bind, or empty for every address of every interface that is up
   * @param counters where the port counts what it drops
   */
  public static MediaPort open(List<InetAddress> bindAddresses, int port, MediaCounters counters)
      throws IOException {
    List<InetAddress> addresses = bindAddresses.isEmpty() ? localAddresses() : bindAddresses;
    if (addresses.isEmpty()) {
      throw new IOException("no local address to bind the media port on");
    }
    IOException last = null;
    // With port 0 another process may grab the chosen port on a second address: retry a few times.
    for (int attempt = 0; attempt < (port == 0 ? 5 : 1); attempt++) {
      List<BoundSocket> bound = new ArrayList<>();
      int chosenPort = port;
      try {
        for (InetAddress address : addresses) {
          // A channel of the address's own family (a default one is dual-stack IPv6), seen through its socket
          // adaptor for blocking receives; the channel gives the descriptor batched sends need.
          boolean ipv6 = address instanceof Inet6Address;
          DatagramChannel ch = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
          try {
            ch.bind(new InetSocketAddress(address, chosenPort));
          } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
          }
          DatagramSocket s = ch.socket();
          bound.add(new BoundSocket(ch, s, SocketFd.of(ch), ipv6));
          chosenPort = s.getLocalPort();
          s.setReceiveBufferSize(SOCKET_BUFFER_BYTES); // best effort: the kernel caps it (net.core.rmem_max)
          s.setSendBufferSize(SOCKET_BUFFER_BYTES);
        }
        return new MediaPort(Collections.unmodifiableList(bound), chosenPort, counters);
      } catch (IOException e) {
        bound.forEach(b -> b.socket().close());
        last = new IOException("cannot bind media port " + port + " on " + addresses + ": " + e.getMessage(), e);
      }
    }
    throw last;
  }

  /** Every usable address of every interface that is up, loopback included, IPv6 link-local excluded. */
  static List<InetAddress> localAddresses() throws SocketException {
    List<InetAddress> result = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet6Address && (a.isLinkLocalAddress() || ((Inet6Address) a).getScopeId() != 0
            && !a.isLoopbackAddress())) {
          continue;
        }
        result.add(a);
      }
    }
    return result;
  }

  public int port() {
    return port;
  }

  /** The local addresses bound, in binding order. */
  List<InetAddress> localAddressList() {
    List<InetAddress> out = new ArrayList<>();
    for (BoundSocket s : sockets) {
      out.add(s.socket().getLocalAddress());
    }
    return out;
  }

  /** The addresses actually bound, for logs and diagnostics. */
  public List<String> boundAddresses() {
    List<String> out = new ArrayList<>();
    for (BoundSocket s : sockets) {
      out.add(s.socket().getLocalAddress().getHostAddress() + ":" + s.socket().getLocalPort());
    }
    return out;
  }

  /** Starts answering checks for {@code t}'s ufrag. */
  void register(IceTransport t) {
    byLocalUfrag.put(t.localUfrag(), t);
  }

  /** Stops answering for {@code t} and forgets the addresses its checks came from. */
  void unregister(IceTransport t, Iterable<InetSocketAddress> remoteAddresses) {
    byLocalUfrag.remove(t.localUfrag(), t);
    for (InetSocketAddress a : remoteAddresses) {
      byRemoteAddress.remove(a, t);
    }
  }

  /**
   * Puts one authentic check through the real path (decode, integrity, answer) for a throw-away peer, so the first
   * browser's check does not pay for loading ice4j's STUN classes and configuration: that took hundreds of ms
   * of a presenter's first connection on a busy machine. Nothing is sent. @return whether the check was answered
   */
  public boolean warmUpChecks() {
    IceTransport t = new IceTransport(this, (buf, off, len, nowMs) -> {});
    t.start("warmup");
    try {
      byte[] request = StunResponder.bindingRequest(t.localUfrag() + ":warmup", t.localPassword());
      return request != null
          && responder.handle(request, request.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
          != null;
    } finally {
      t.close();
    }
  }

  /** Whether every socket's descriptor is known, so the send lanes can batch with sendmmsg. */
  public boolean descriptorsKnown() {
    return sockets.stream().allMatch(s -> s.fd() >= 0);
  }

  private void readLoop(BoundSocket bound) {
    DatagramSocket socket = bound.socket();
    byte[] buf = new byte[RECEIVE_BUFFER_BYTES];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    if (Thread.currentThread() instanceof ReceiveThread t) {
      t.enableStamps();
    }
    while (!closed) {
      packet.setData(buf, 0, buf.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (closed || socket.isClosed()) {
          return;
        }
        continue; // e.g. ICMP port unreachable reported on a later receive: nothing to do
      }
      try {
        onDatagram(bound, buf, packet.getLength(), (InetSocketAddress) packet.getSocketAddress());
      } catch (RuntimeException e) {
        counters.datagramsFailed.increment(); // never let one datagram stop the port
      }
    }
  }

  private void onDatagram(BoundSocket socket, byte[] buf, int len, InetSocketAddress from) {
    if (StunResponder.isStun(buf, 0, len)) {
      StunResponder.Check check = responder.handle(buf, len, from);
      if (check == null) {
        counters.iceChecksRejected.increment();
        return;
      }
      IceTransport t = check.transport();
      if (t.addValidAddress(from)) {
        byRemoteAddress.put(from, t);
        if (t.isClosed()) { // closed meanwhile: its unregister may have missed this address
          byRemoteAddress.remove(from, t);
          return;
        }
      }
      t.onCheck(socket, from, check.useCandidate()); // before answering: the route is ready when the browser acts
      try {
        socket.socket().send(new DatagramPacket(check.response(), check.response().length, from));
      } catch (IOException e) {
        // the browser checks again
      }
      return;
    }
    IceTransport t = byRemoteAddress.get(from);
    if (t == null) {
      counters.datagramsFromUnknownSources.increment();
      return;
    }
    t.onDatagram(socket, from, buf, len, System.currentTimeMillis());
  }

  @Override
  public void close() {
    closed = true;
    sockets.forEach(s -> s.socket().close());
  }
}
