package io.projector.sfu.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.NominationStrategy;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * ICE for one peer connection: one ice4j {@link Agent}, ICE-controlled (the browser nominates), with a
 * single component (rtcp-mux and BUNDLE) whose only candidates are the shared {@link MediaPort}.
 *
 * <p>Received datagrams arrive on the media port's reader thread through ice4j's push API and go straight
 * to {@link DatagramReceiver}; the buffer is returned to ice4j's pool right after the callback, so a
 * receiver that keeps the bytes must copy them.
 */
public final class IceTransport implements DatagramSender, AutoCloseable {

  /** Receives every non-STUN datagram for this peer. Runs on the media port's reader thread: be quick. */
  @FunctionalInterface
  public interface DatagramReceiver {
    void receive(byte[] buf, int off, int len, long nowMs);
  }

  /** A candidate we announce, in the fields an SDP a=candidate line needs. */
  public record LocalCandidateInfo(String foundation, long priority, String address, int port, String type) {}

  private final Agent agent;
  private final IceMediaStream stream;
  private final Component component;
  private final AtomicBoolean closed = new AtomicBoolean();
  private static final int MAX_PENDING_SENDS = 32;
  private final java.util.ArrayDeque<byte[]> pendingSends = new java.util.ArrayDeque<>();
  private volatile boolean hasPendingSends;
  private volatile Consumer<IceState> stateListener = s -> {};
  /** Where the browser last sent from (the media port's reader thread writes it when it changes). */
  private volatile SocketAddress lastReceivedFrom;
  // The send fast path, owned by the one thread that sends for this peer (its send lane, or the session worker
  // without lanes): the pair's socket and a packet, kept while the selected pair and the browser's address last.
  private CandidatePair cachedPair;
  private SocketAddress cachedRemote;
  private DatagramSocket cachedSocket;
  private final DatagramPacket packet = new DatagramPacket(new byte[0], 0);

  /** Coarse ICE state, as callers need it. */
  public enum IceState { NEW, CHECKING, CONNECTED, FAILED, CLOSED }

  public IceTransport(MediaPort mediaPort, DatagramReceiver receiver) throws IOException {
    agent = new Agent();
    agent.setControlling(false);
    agent.setUseDynamicPorts(false);
    agent.setNominationStrategy(NominationStrategy.NOMINATE_HIGHEST_PRIO);
    for (SinglePortUdpHarvester h : mediaPort.harvesters()) {
      agent.addCandidateHarvester(h);
    }
    stream = agent.createMediaStream("bundle");
    component = agent.createComponent(stream, KeepAliveStrategy.ALL_SUCCEEDED, false);
    component.setBufferCallback((Buffer b) -> {
      try {
        SocketAddress from = b.getRemoteAddress();
        if (from != null && !from.equals(lastReceivedFrom)) {
          lastReceivedFrom = from;
        }
        flushPendingSends();
        receiver.receive(b.getBuffer(), b.getOffset(), b.getLength(), System.currentTimeMillis());
      } finally {
        BufferPool.returnBuffer.invoke(b);
      }
    });
    agent.addStateChangeListener(this::onAgentState);
    stream.addPairChangeListener(e -> flushPendingSends());
  }

  public String localUfrag() {
    return agent.getLocalUfrag();
  }

  public String localPassword() {
    return agent.getLocalPassword();
  }

  /** Our host candidates: one per bound address of the media port. */
  public List<LocalCandidateInfo> localCandidates() {
    List<LocalCandidateInfo> out = new ArrayList<>();
    for (LocalCandidate c : component.getLocalCandidates()) {
      TransportAddress ta = c.getTransportAddress();
      out.add(new LocalCandidateInfo(c.getFoundation(), c.getPriority(), ta.getHostAddress(), ta.getPort(),
          c.getType().toString()));
    }
    return out;
  }

  public void onStateChange(Consumer<IceState> listener) {
    this.stateListener = listener;
  }

  /** Sets the remote credentials and starts answering/performing connectivity checks. */
  public void start(String remoteUfrag, String remotePassword) {
    stream.setRemoteUfrag(remoteUfrag);
    stream.setRemotePassword(remotePassword);
    agent.startConnectivityEstablishment();
  }

  /**
   * Adds a remote candidate (from the offer or a trickled fragment). Candidates we cannot use (mDNS names,
   * TCP) are ignored: the browser's checks reach us anyway and become peer-reflexive candidates.
   *
   * @return whether the candidate was added
   */
  public boolean addRemoteCandidate(String transport, String address, int port, String type, String foundation,
      long priority) {
    if (!"udp".equalsIgnoreCase(transport) || address.endsWith(".local") || closed.get()) {
      return false;
    }
    InetAddress ip;
    try {
      if (!looksLikeIpLiteral(address)) {
        return false;
      }
      ip = InetAddress.getByName(address); // a literal: no DNS lookup happens
    } catch (UnknownHostException e) {
      return false;
    }
    CandidateType candidateType = CandidateType.parse(type);
    if (candidateType == null) {
      candidateType = CandidateType.HOST_CANDIDATE;
    }
    RemoteCandidate rc = new RemoteCandidate(new TransportAddress(ip, port, Transport.UDP), component,
        candidateType, foundation, priority, null);
    if (agent.isStarted()) {
      component.addUpdateRemoteCandidates(rc);
      component.updateRemoteCandidates();
    } else {
      component.addRemoteCandidate(rc);
    }
    return true;
  }

  static boolean looksLikeIpLiteral(String address) {
    return address.indexOf(':') >= 0 || address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /**
   * Sends on the selected pair, to wherever the browser last sent from. Returns false (and does not throw) when
   * there is no usable pair yet. Media and RTCP only, always from the same thread (the peer's send lane, see
   * {@link SendLanes}); DTLS uses {@link #sendOrQueue}.
   *
   * <p>Fast path: while the selected pair and the browser's address stay the same, the pair's socket and one
   * {@code DatagramPacket} are kept, so a send is one {@code DatagramSocket.send}. ice4j's own
   * {@code Component#send(byte[], int, int)} looks the socket up in its candidate's map of remote addresses
   * (a quarter of the worker's time at 200 viewers) and allocates a packet and an address holder per call; it
   * remains the fallback (a browser that moved to another pair, no pair yet).
   *
   * <p>One syscall per datagram: the JDK has no sendmmsg, so packets for the same viewer that are ready in one
   * worker turn are not batched. The JDK's {@code DatagramSocket.send} (the NIO adaptor since JDK 15) still
   * builds an {@code InetSocketAddress} per call. See bench/jmh/README.md.
   */
  @Override
  public boolean send(byte[] buf, int off, int len) {
    try {
      CandidatePair pair = component.getSelectedPair();
      SocketAddress to = lastReceivedFrom;
      if (pair != null && to != null) {
        if (pair != cachedPair || to != cachedRemote) {
          cacheSocket(pair, to);
        }
        if (cachedSocket != null) {
          packet.setData(buf, off, len);
          cachedSocket.send(packet);
          return true;
        }
      }
      if (pair == null && to != null && sendOnBrowserNominated(buf, off, len, to)) {
        return true;
      }
      component.send(buf, off, len);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Sends on the pair the browser nominated, when ice4j has not validated it yet. As the controlled agent, ice4j
   * selects a pair only once its own triggered check of it succeeds (tens to hundreds of milliseconds after the
   * browser's on a busy machine; ice4j restarts that check each time the browser checks again), while the
   * browser, whose check already succeeded, starts DTLS at once. The browser nominates (USE-CANDIDATE) only after
   * our answer to its check reached it, so the path works both ways: answering the ClientHello there, at the
   * address it came from, is what an ICE-lite server does, and saves the wait. Setup only: allocates.
   *
   * @return whether the datagram was sent
   */
  private boolean sendOnBrowserNominated(byte[] buf, int off, int len, SocketAddress to) throws IOException {
    DatagramSocket socket = null;
    List<CandidatePair> checkList = stream.getCheckList();
    synchronized (checkList) {
      for (CandidatePair p : checkList) {
        if (p.useCandidateReceived() && p.getState() != CandidatePairState.FAILED
            && to.equals(p.getRemoteCandidate().getTransportAddress())) {
          socket = p.getDatagramSocket();
          break;
        }
      }
    }
    if (socket == null) {
      return false;
    }
    socket.send(new DatagramPacket(buf, off, len, to));
    return true;
  }

  private void cacheSocket(CandidatePair pair, SocketAddress to) {
    cachedPair = pair;
    cachedRemote = to;
    cachedSocket = null;
    if (pair.getRemoteCandidate().getTransportAddress().equals(to)) {
      cachedSocket = pair.getDatagramSocket();
      packet.setSocketAddress(to);
    }
  }

  /**
   * Sends a DTLS record. The browser, as ICE controller, may consider the pair usable (and send its
   * ClientHello) a moment before our side has validated it: then our reply waits in a small queue and goes out
   * as soon as a pair becomes valid, instead of failing the handshake or waiting for a DTLS retransmission.
   */
  public void sendOrQueue(byte[] buf, int off, int len) throws IOException {
    synchronized (pendingSends) {
      if (pendingSends.isEmpty()) {
        try {
          sendNow(buf, off, len);
          return;
        } catch (IOException e) {
          if (closed.get()) {
            throw e;
          }
        }
      }
      if (pendingSends.size() >= MAX_PENDING_SENDS) {
        throw new IOException("no valid ICE pair and the send queue is full");
      }
      pendingSends.add(java.util.Arrays.copyOfRange(buf, off, off + len));
      hasPendingSends = true;
    }
  }

  private void sendNow(byte[] buf, int off, int len) throws IOException {
    SocketAddress to = lastReceivedFrom;
    if (component.getSelectedPair() == null && to != null && sendOnBrowserNominated(buf, off, len, to)) {
      return;
    }
    component.send(buf, off, len);
  }

  private void flushPendingSends() {
    if (!hasPendingSends) {
      return;
    }
    synchronized (pendingSends) {
      while (!pendingSends.isEmpty()) {
        byte[] b = pendingSends.peek();
        try {
          sendNow(b, 0, b.length);
        } catch (IOException e) {
          return; // still no valid pair; retried on the next pair change or received datagram
        }
        pendingSends.poll();
      }
      hasPendingSends = false;
    }
  }

  /** The remote address of the selected pair ("ip:port type"), for diagnostics; null before connecting. */
  public String selectedRemote() {
    var pair = component.getSelectedPair();
    if (pair == null) {
      return null;
    }
    var remote = pair.getRemoteCandidate();
    return remote.getTransportAddress().getHostAddress() + ":" + remote.getTransportAddress().getPort() + " "
        + remote.getType();
  }

  private void onAgentState(PropertyChangeEvent e) {
    Object v = e.getNewValue();
    IceState s;
    if (v == IceProcessingState.RUNNING) {
      s = IceState.CHECKING;
    } else if (v == IceProcessingState.COMPLETED || v == IceProcessingState.TERMINATED) {
      s = IceState.CONNECTED;
    } else if (v == IceProcessingState.FAILED) {
      s = IceState.FAILED;
    } else {
      return;
    }
    flushPendingSends();
    if (!closed.get()) {
      stateListener.accept(s);
    }
  }

  /** Frees the agent and its candidates; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      agent.free();
    }
  }
}
