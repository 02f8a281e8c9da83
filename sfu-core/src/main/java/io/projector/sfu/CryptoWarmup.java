package io.projector.sfu;

import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.dtls.DtlsRole;
import io.projector.sfu.dtls.DtlsTransport;
import io.projector.sfu.dtls.SrtpKeys;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms up DTLS and SRTP in memory at start-up, so joining peers do not pay for it.
 *
 * <ul>
 *   <li>One handshake and SRTP round trip before the server accepts peers: the first use of BouncyCastle's DTLS
 *       and of jitsi-srtp in a JVM costs one to two seconds (class loading, and jitsi-srtp timing its AES
 *       providers to pick the fastest), which would otherwise make the first browser retransmit its hello.</li>
 *   <li>Then, in the background, SDP offers parsed and answered (see {@link NegotiationWarmup}) and more handshakes,
 *       until the JIT has compiled that code and BouncyCastle's elliptic-curve code. Until it has, a handshake runs
 *       interpreted: about 90 ms of CPU instead of 3, and on a machine busy with
 *       browsers and encoders a joining viewer's DTLS reply then waited up to half a second (measured with the
 *       per-connection timing in the log).</li>
 * </ul>
 *
 * <p>The server reports itself ready ({@code /health/ready}) only when both are done: traffic routed to a node that
 * is still warming up competes with the warm-up for CPU (a first viewer's answer took 90 ms to negotiate instead of
 * 2 in a test that joined right after start).
 */
public final class CryptoWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoWarmup.class);
  /** Handshakes run in the background for the JIT (with the SDP warm-up, about a second of one idle core). */
  static final int BACKGROUND_HANDSHAKES = 100;

  private CryptoWarmup() {}

  /**
   * The first handshake, now; the JIT warm-up on a daemon thread of its own.
   *
   * @return completes when the background warm-up has ended (also when it could not run: it only saves time)
   */
  public static CompletableFuture<Void> run(DtlsCertificate serverCert, ExecutorService executor) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long startNs = System.nanoTime();
    if (!handshake(serverCert, executor, true)) {
      done.complete(null);
      return done;
    }
    LOG.debug("crypto warm-up took {} ms", (System.nanoTime() - startNs) / 1_000_000);
    Thread jit = new Thread(() -> {
      long t0 = System.nanoTime();
      try {
        NegotiationWarmup.run(serverCert.fingerprint().toSdpValue());
        for (int i = 0; i < BACKGROUND_HANDSHAKES; i++) {
          if (!handshake(serverCert, executor, false)) {
            return;
          }
        }
        LOG.debug("JIT warm-up: negotiation and {} handshakes in {} ms", BACKGROUND_HANDSHAKES,
            (System.nanoTime() - t0) / 1_000_000);
      } finally {
        done.complete(null);
      }
    }, "jit-warmup");
    jit.setDaemon(true);
    jit.start();
    return done;
  }

  /** One in-memory handshake (and, if asked, an SRTP round trip); false if it failed or the executor is gone. */
  private static boolean handshake(DtlsCertificate serverCert, ExecutorService executor, boolean srtp) {
    DtlsCertificate clientCert = DtlsCertificate.generate();
    DtlsTransport[] ends = new DtlsTransport[2];
    ends[0] = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(),
        (b, o, l) -> ends[1].onPacket(b, o, l));
    ends[1] = new DtlsTransport(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(),
        (b, o, l) -> ends[0].onPacket(b, o, l));
    try {
      CompletableFuture<SrtpKeys> server = ends[0].start(executor);
      CompletableFuture<SrtpKeys> client = ends[1].start(executor);
      SrtpKeys serverKeys = server.get(10, TimeUnit.SECONDS);
      SrtpKeys clientKeys = client.get(10, TimeUnit.SECONDS);
      if (srtp) {
        SrtpPair a = SrtpPair.from(serverKeys);
        SrtpPair b = SrtpPair.from(clientKeys);
        byte[] packet = new byte[12 + 100 + SrtpEncoder.MAX_OVERHEAD];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        int len = a.encoder().protectRtp(packet, 0, 112);
        if (b.decoder().unprotectRtp(packet, 0, len) != 112) {
          LOG.warn("crypto warm-up: SRTP round trip did not match");
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      if (!executor.isShutdown()) {
        LOG.warn("crypto warm-up failed: {}", e.toString());
      }
      return false;
    } finally {
      ends[0].close();
      ends[1].close();
    }
  }
}
