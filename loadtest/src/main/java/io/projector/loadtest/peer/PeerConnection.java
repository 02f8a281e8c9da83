package io.projector.loadtest.peer;

import io.projector.loadtest.ice.IceChecks;
import io.projector.sfu.dtls.DtlsRole;
import io.projector.sfu.dtls.DtlsTransport;
import io.projector.sfu.dtls.Fingerprint;
import io.projector.sfu.rtp.PacketType;
import io.projector.sfu.srtp.SrtpDecoder;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebRTC transport of the generator: a UDP socket connected to the server's candidate, ICE on that one
 * pair, DTLS (sfu-core's BouncyCastle transport in the role the SDP gave us) and SRTP. Datagrams arrive on the
 * {@link NetworkLoop} thread and are demultiplexed as RFC 7983 says; SRTP/SRTCP goes to the {@link Media}
 * handler still encrypted, so that a viewer may decide not to decrypt (the header is in the clear).
 */
public final class PeerConnection implements NetworkLoop.Receiver, AutoCloseable {
  /** The peer's media logic, called on the network loop thread. */
  public interface Media {
    void onSrtp(PeerConnection from, byte[] buf, int length, boolean rtcp, long nowNs);
  }

  private static final long CHECK_INTERVAL_MS = 50;
  private static final long CONSENT_INTERVAL_MS = 5000;

  private final DatagramChannel channel;
  private final IceChecks ice;
  private final DtlsTransport dtls;
  private final Media media;
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong earlyPackets = new AtomicLong();
  private volatile SrtpEncoder encoder;
  private volatile SrtpDecoder decoder;
  private volatile ScheduledFuture<?> checks;
  private volatile boolean closed;

  public PeerConnection(DatagramChannel channel, LocalIdentity local, RemoteMedia remote, boolean iceControlling,
      Media media) {
    this.channel = channel;
    this.media = media;
    this.ice = new IceChecks(local.iceUfrag(), local.icePwd(), remote.iceUfrag(), remote.icePwd(), iceControlling,
        local.localAddress(), remote.candidate(), b -> send(b, 0, b.length));
    this.dtls = new DtlsTransport(remote.weAreDtlsClient() ? DtlsRole.CLIENT : DtlsRole.SERVER, local.certificate(),
        Fingerprint.parse(remote.fingerprint()), this::send);
  }

  /**
   * Runs ICE (a check every 50 ms), then DTLS on {@code dtlsThreads}; completes when SRTP is ready and fails
   * after {@code timeoutMs}. After that a consent check goes out every 5 s.
   */
  public CompletableFuture<Void> establish(ScheduledExecutorService timers, Executor dtlsThreads, long timeoutMs) {
    checks = timers.scheduleAtFixedRate(ice::sendCheck, 0, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    CompletableFuture<Void> ready = ice.connected()
        .thenCompose(v -> {
          checks.cancel(false);
          checks = timers.scheduleAtFixedRate(ice::sendCheck, CONSENT_INTERVAL_MS, CONSENT_INTERVAL_MS,
              TimeUnit.MILLISECONDS);
          return dtls.start(dtlsThreads);
        })
        .thenAccept(keys -> {
          SrtpPair pair = SrtpPair.from(keys);
          encoder = pair.encoder();
          decoder = pair.decoder();
        });
    CompletableFuture<Void> result = new CompletableFuture<>();
    ready.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
      if (e == null) {
        result.complete(null);
        return;
      }
      close();
      result.completeExceptionally(!(e instanceof java.util.concurrent.TimeoutException
          || e.getCause() instanceof java.util.concurrent.TimeoutException) ? e
          : new java.util.concurrent.TimeoutException(!ice.connected().isDone()
              ? "ICE: no check succeeded within " + timeoutMs + " ms"
              : "DTLS: the handshake did not finish within " + timeoutMs + " ms (we are the "
                  + dtls.role() + ")"));
    });
    return result;
  }

  @Override
  public void onDatagram(byte[] buf, int length, long nowNs) {
    switch (PacketType.of(buf, 0, length)) {
      case STUN -> ice.onStun(buf, length);
      case DTLS -> dtls.onPacket(buf, 0, length);
      case RTP, RTCP -> {
        if (decoder == null) {
          earlyPackets.incrementAndGet(); // the server finished DTLS first; browsers drop these too
        } else {
          media.onSrtp(this, buf, length, PacketType.of(buf, 0, length) == PacketType.RTCP, nowNs);
        }
      }
      default -> { }
    }
  }

  /** The SRTP decoder; only the network loop thread may use it. Null before DTLS finished. */
  public SrtpDecoder decoder() {
    return decoder;
  }

  /**
   * Encrypts a plain RTP or RTCP packet in place ({@code buf} needs {@link SrtpEncoder#MAX_OVERHEAD} spare
   * bytes) and sends it. Callers on different threads are serialised here.
   *
   * @return false when not connected yet, closed, or the packet could not be protected
   */
  public boolean protectAndSend(byte[] buf, int length, boolean rtcp) {
    SrtpEncoder e = encoder;
    if (e == null || closed) {
      return false;
    }
    int n;
    synchronized (e) {
      n = rtcp ? e.protectRtcp(buf, 0, length) : e.protectRtp(buf, 0, length);
      if (n < 0) {
        return false;
      }
      send(buf, 0, n); // in the encoder's order: the server's replay window is not infinite
    }
    return true;
  }

  /** Datagrams the kernel refused (buffer full) or that failed to go out. */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** SRTP that arrived before our DTLS finished, dropped. */
  public long earlyPackets() {
    return earlyPackets.get();
  }

  private void send(byte[] b, int off, int len) {
    if (closed) {
      return;
    }
    try {
      if (channel.write(ByteBuffer.wrap(b, off, len)) == 0) {
        sendFailures.incrementAndGet();
      }
    } catch (IOException e) {
      sendFailures.incrementAndGet();
    }
  }

  /** Sends DTLS close_notify (as a browser's pc.close()) and closes the socket. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    ScheduledFuture<?> c = checks;
    if (c != null) {
      c.cancel(false);
    }
    dtls.close();
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
