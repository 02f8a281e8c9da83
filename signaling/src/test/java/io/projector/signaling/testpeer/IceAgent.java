package io.projector.signaling.testpeer;

import io.projector.loadtest.ice.StunMessages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The test peer's ICE (RFC 8445), reduced to what a browser on the same host does toward the ICE-controlled
 * SFU: one candidate pair, controlling with aggressive nomination (USE-CANDIDATE on every check), and answers
 * to the SFU's own checks (its triggered check, keep-alives, consent).
 */
final class IceAgent {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String localUfrag;
  private final String localPwd;
  private final String remoteUfrag;
  private final String remotePwd;
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private final BiConsumer<byte[], InetSocketAddress> sender;
  private final long tieBreaker = RANDOM.nextLong();
  private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> succeeded = new CompletableFuture<>();
  private final AtomicLong requestsAnswered = new AtomicLong();

  IceAgent(String localUfrag, String localPwd, String remoteUfrag, String remotePwd, InetSocketAddress local,
      InetSocketAddress remote, BiConsumer<byte[], InetSocketAddress> sender) {
    this.localUfrag = localUfrag;
    this.localPwd = localPwd;
    this.remoteUfrag = remoteUfrag;
    this.remotePwd = remotePwd;
    this.local = local;
    this.remote = remote;
    this.sender = sender;
  }

  /** Sends a nominating check every 50 ms until one succeeds. */
  void connect(long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      sendCheck(true);
      try {
        succeeded.get(50, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        throw new IOException("ICE failed: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("no ICE success response from " + remote + " within " + timeoutMs + " ms");
        }
      }
    }
  }

  /** A check on the pair; after connecting, without USE-CANDIDATE it serves as a consent check (RFC 7675). */
  void sendCheck(boolean useCandidate) {
    byte[] id = StunMessages.newTransactionId(RANDOM);
    outstanding.add(Arrays.toString(id));
    sender.accept(StunMessages.bindingRequest(id, remoteUfrag + ":" + localUfrag, OfferAnswer.HOST_PRIORITY,
        tieBreaker, useCandidate, remotePwd), remote);
  }

  /** Answers the SFU's checks (USERNAME "ours:theirs", keyed with our password); completes our own checks. */
  void onStun(byte[] b, InetSocketAddress from) {
    StunMessages.Parsed m = StunMessages.parse(b, b.length);
    if (m == null) {
      return;
    }
    boolean ours = outstanding.remove(Arrays.toString(m.transactionId()));
    if (m.type() == StunMessages.BINDING_REQUEST && (localUfrag + ":" + remoteUfrag).equals(m.username())
        && m.integrityMatches(localPwd)) {
      requestsAnswered.incrementAndGet();
      sender.accept(StunMessages.bindingSuccess(m.transactionId(), from, localPwd), from);
    } else if (m.type() == StunMessages.BINDING_SUCCESS && ours) {
      byte[] mapped = m.attribute(StunMessages.XOR_MAPPED_ADDRESS);
      if (!m.integrityMatches(remotePwd)) {
        succeeded.completeExceptionally(new IOException("a success response with a wrong MESSAGE-INTEGRITY"));
      } else if (mapped == null || !local.equals(StunMessages.xorMappedAddress(mapped, m.transactionId()))) {
        succeeded.completeExceptionally(new IOException("a success response that does not map us to " + local));
      } else {
        succeeded.complete(null);
      }
    } else if (m.type() == StunMessages.BINDING_ERROR && ours) {
      succeeded.completeExceptionally(new IOException("the SFU answered a check with an error response"));
    }
  }

  /** STUN binding requests from the SFU answered so far. */
  long requestsAnswered() {
    return requestsAnswered.get();
  }
}
