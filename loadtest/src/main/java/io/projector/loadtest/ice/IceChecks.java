package io.projector.loadtest.ice;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * ICE (RFC 8445) for one candidate pair, as a browser on a reachable host runs it. Controlling (we offered to
 * an ICE-controlled server, e.g. Projector): checks with USE-CANDIDATE (aggressive nomination) until one
 * succeeds. Controlled (the server offered, e.g. Janus' subscriber offer): checks without nomination, and the
 * pair is ours once a check succeeds or the server nominates it. Both answer the server's checks (triggered
 * checks, keep-alives, consent). Thread-safe: checks go out from the caller, answers from the receive loop.
 */
public final class IceChecks {
  /** Chrome's priority for a host candidate; also what our checks carry in PRIORITY. */
  public static final long HOST_PRIORITY = 2122260223L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String localUfrag;
  private final String localPwd;
  private final String remoteUfrag;
  private final String remotePwd;
  private final boolean controlling;
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private final Consumer<byte[]> sender;
  private final long tieBreaker = RANDOM.nextLong();
  private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private final AtomicLong requestsAnswered = new AtomicLong();

  /**
   * @param local our socket's address: a success response must map us to it (XOR-MAPPED-ADDRESS)
   * @param remote the server's candidate, where checks and answers go
   */
  public IceChecks(String localUfrag, String localPwd, String remoteUfrag, String remotePwd, boolean controlling,
      InetSocketAddress local, InetSocketAddress remote, Consumer<byte[]> sender) {
    this.localUfrag = localUfrag;
    this.localPwd = localPwd;
    this.remoteUfrag = remoteUfrag;
    this.remotePwd = remotePwd;
    this.controlling = controlling;
    this.local = local;
    this.remote = remote;
    this.sender = sender;
  }

  /** Completes when the pair is usable for DTLS and media; fails on an error response. */
  public CompletableFuture<Void> connected() {
    return connected;
  }

  /** Sends one connectivity check; the controlling side nominates until connected. */
  public void sendCheck() {
    byte[] id = StunMessages.newTransactionId(RANDOM);
    outstanding.add(Arrays.toString(id));
    sender.accept(StunMessages.bindingRequest(id, remoteUfrag + ":" + localUfrag, HOST_PRIORITY, tieBreaker,
        controlling, controlling && !connected.isDone(), remotePwd));
  }

  /** STUN binding requests from the server answered so far (its triggered checks, keep-alives, consent). */
  public long requestsAnswered() {
    return requestsAnswered.get();
  }

  /** Handles one STUN datagram from the server (receive loop). */
  public void onStun(byte[] b, int len) {
    StunMessages.Parsed m = StunMessages.parse(b, len);
    if (m == null) {
      return;
    }
    boolean ours = outstanding.remove(Arrays.toString(m.transactionId()));
    if (m.type() == StunMessages.BINDING_REQUEST && (localUfrag + ":" + remoteUfrag).equals(m.username())
        && m.integrityMatches(localPwd)) {
      requestsAnswered.incrementAndGet();
      sender.accept(StunMessages.bindingSuccess(m.transactionId(), remote, localPwd));
      if (!controlling && m.attribute(StunMessages.USE_CANDIDATE) != null) {
        connected.complete(null);
      }
    } else if (m.type() == StunMessages.BINDING_SUCCESS && ours) {
      byte[] mapped = m.attribute(StunMessages.XOR_MAPPED_ADDRESS);
      if (!m.integrityMatches(remotePwd)) {
        connected.completeExceptionally(new IllegalStateException("a success response with a wrong MESSAGE-INTEGRITY"));
      } else if (mapped == null || !local.equals(StunMessages.xorMappedAddress(mapped, m.transactionId()))) {
        connected.completeExceptionally(new IllegalStateException("a success response that does not map us to " + local));
      } else {
        connected.complete(null);
      }
    } else if (m.type() == StunMessages.BINDING_ERROR && ours && !connected.isDone()) {
      connected.completeExceptionally(new IllegalStateException("the server answered a check with an error"));
    }
  }
}
