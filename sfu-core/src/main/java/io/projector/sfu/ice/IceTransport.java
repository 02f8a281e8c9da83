package io.projector.sfu.ice;

import io.projector.sfu.udp.NativeRoute;
import io.projector.sfu.udp.SockAddr;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * ICE for one peer connection, as an ICE-lite agent (RFC 8445 §2.5): the browser, a full agent, is always the
 * controlling side and runs all the checks; we answer them on the shared {@link MediaPort} and never check
 * ourselves. One component (rtcp-mux and BUNDLE); our only candidates are the media port's addresses.
 *
 * <p>A remote address becomes valid when an authentic check arrives from it. Media goes to the address the
 * browser nominated (USE-CANDIDATE), and follows the browser when its media starts coming from another valid
 * address (it switched pairs): we always send where it sends from, so a switch never looks like lost consent.
 * A peer that never connects or goes silent is removed by its session's timeouts.
 *
 * <p>Received datagrams arrive on the media port's reader thread and go straight to {@link DatagramReceiver};
 * the buffer is reused for the next datagram right after the callback, so a receiver that keeps the bytes must
 * copy them.
 */
public final class IceTransport implements BatchableSender, AutoCloseable {
  /** At most this many addresses per peer (one per candidate pair the browser checks). */
  private static final int MAX_VALID_ADDRESSES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Receives every non-STUN datagram for this peer. Runs on the media port's reader thread: be quick. */
  @FunctionalInterface
  public interface DatagramReceiver {
    void receive(byte[] buf, int off, int len, long nowMs);
  }

  /** A candidate we announce, in the fields an SDP a=candidate line needs. */
  public record LocalCandidateInfo(String foundation, long priority, String address, int port, String type) {}

  /** Coarse ICE state, as callers need it. */
  public enum IceState { NEW, CHECKING, CONNECTED, CLOSED }

  /**
   * Where media goes: the remote address and the local socket its datagrams arrive on, and the two as
   * sendmmsg takes them (null when the socket's descriptor is unknown; the send lanes decide whether to batch).
   */
  private record Route(BoundSocket socket, InetSocketAddress remote, NativeRoute nativeRoute) {
    static Route of(BoundSocket socket, InetSocketAddress remote) {
      byte[] sockaddr = socket.fd() >= 0 ? SockAddr.encode(remote, socket.ipv6()) : null;
      return new Route(socket, remote, sockaddr == null ? null : new NativeRoute(socket.fd(), sockaddr));
    }
  }

  private final MediaPort port;
  private final DatagramReceiver receiver;
  private final String localUfrag = random(6);   // 8 characters
  private final String localPassword = random(18); // 24 characters, 144 bits (RFC 8445 asks for at least 128)
  private final Set<InetSocketAddress> validAddresses = ConcurrentHashMap.newKeySet();
  private volatile String remoteUfrag;
  private volatile Route route;
  private volatile IceState state = IceState.NEW;
  private volatile Consumer<IceState> stateListener = s -> {};
  // The send fast path, owned by the one thread that sends media for this peer (its send lane).
  private Route cachedRoute;
  private final DatagramPacket packet = new DatagramPacket(new byte[0], 0);

  public IceTransport(MediaPort port, DatagramReceiver receiver) {
    this.port = port;
    this.receiver = receiver;
  }

  public String localUfrag() {
    return localUfrag;
  }

  public String localPassword() {
    return localPassword;
  }

  /** Our host candidates: one per bound address of the media port, the first bound preferred. */
  public List<LocalCandidateInfo> localCandidates() {
    List<LocalCandidateInfo> out = new ArrayList<>();
    int i = 0;
    for (InetAddress a : port.localAddressList()) {
      long localPreference = 65535 - i;
      long priority = (126L << 24) | (localPreference << 8) | 255; // RFC 8445 §5.1.2.1, host, component 1
      i++;
      out.add(new LocalCandidateInfo(Integer.toString(i), priority, a.getHostAddress(), port.port(), "host"));
    }
    return out;
  }

  public void onStateChange(Consumer<IceState> listener) {
    this.stateListener = listener;
  }

  /**
   * Sets the browser's ufrag and starts answering its checks. Its password and candidates are not needed: an
   * ICE-lite agent sends no checks, and the browser's checks show us its addresses, whatever their type (host,
   * server-reflexive, relayed through TURN, or peer-reflexive behind a NAT).
   */
  public void start(String remoteUfrag) {
    this.remoteUfrag = remoteUfrag;
    if (state == IceState.NEW) {
      state = IceState.CHECKING;
    }
    port.register(this);
  }

  boolean isRemoteUfrag(String ufrag) {
    String r = remoteUfrag;
    return r != null && r.equals(ufrag) && state != IceState.CLOSED;
  }

  /** Media port thread: an authentic check came from {@code from}. @return whether the address is new to us */
  boolean addValidAddress(InetSocketAddress from) {
    return state != IceState.CLOSED && validAddresses.size() < MAX_VALID_ADDRESSES && validAddresses.add(from);
  }

  /** Media port thread: answered a check from a valid address; USE-CANDIDATE means the browser chose it. */
  void onCheck(BoundSocket socket, InetSocketAddress from, boolean useCandidate) {
    if (useCandidate && validAddresses.contains(from)) {
      Route r = route;
      if (r == null || !r.remote.equals(from)) {
        select(socket, from);
      }
    }
  }

  boolean isClosed() {
    return state == IceState.CLOSED;
  }

  /** Media port thread: a non-STUN datagram from one of this peer's valid addresses. */
  void onDatagram(BoundSocket socket, InetSocketAddress from, byte[] buf, int len, long nowMs) {
    if (state == IceState.CLOSED) {
      return;
    }
    Route r = route;
    if (r == null || !r.remote.equals(from)) {
      select(socket, from);
    }
    receiver.receive(buf, 0, len, nowMs);
  }

  private void select(BoundSocket socket, InetSocketAddress from) {
    route = Route.of(socket, from);
    IceState before;
    synchronized (this) {
      before = state;
      if (before == IceState.CHECKING) {
        state = IceState.CONNECTED;
      }
    }
    if (before == IceState.CHECKING) {
      stateListener.accept(IceState.CONNECTED);
    }
  }

  /**
   * Sends a media or RTCP datagram to the browser. Returns false (and does not throw) when there is no route
   * yet. Always from the same thread (the peer's send lane, see {@link SendLanes}): one {@code DatagramPacket}
   * is kept per peer, so a send is one {@code DatagramSocket.send}.
   *
   * <p>One syscall per datagram: the send lanes use this only where they cannot batch (see {@link SendLanes}).
   */
  @Override
  public boolean send(byte[] buf, int off, int len) {
    Route r = route;
    if (r == null) {
      return false;
    }
    try {
      if (r != cachedRoute) {
        cachedRoute = r;
        packet.setSocketAddress(r.remote);
      }
      packet.setData(buf, off, len);
      r.socket.socket().send(packet);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public NativeRoute nativeRoute() {
    Route r = route;
    return r == null ? null : r.nativeRoute;
  }

  /**
   * Sends a DTLS record, from any thread. The browser's first DTLS record comes from a valid address and so
   * selects the route before our reply is written; there is nothing to wait for.
   */
  public void sendDtls(byte[] buf, int off, int len) throws IOException {
    Route r = route;
    if (r == null) {
      throw new IOException("no ICE route to the peer yet");
    }
    r.socket.socket().send(new DatagramPacket(buf, off, len, r.remote));
  }

  /** The address media goes to ("ip:port"), for diagnostics; null before connecting. */
  public String selectedRemote() {
    Route r = route;
    return r == null ? null : r.remote.getAddress().getHostAddress() + ":" + r.remote.getPort();
  }

  /** Stops answering checks and forgets this peer's addresses; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (state == IceState.CLOSED) {
        return;
      }
      state = IceState.CLOSED;
    }
    port.unregister(this, validAddresses);
    route = null;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    // ICE ufrag/pwd characters are ALPHA / DIGIT / "+" / "/" (RFC 8839): standard Base64 without padding.
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }
}
