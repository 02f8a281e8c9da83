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
 * Runs one DTLS handshake and one SRTP round trip in memory at start-up. The first use of BouncyCastle's DTLS and
 * of jitsi-srtp in a JVM costs one to two seconds (class loading, and jitsi-srtp timing its AES providers to pick
 * the fastest). Paid here, it is not paid by the first presenter or viewer, whose browser would otherwise
 * retransmit its DTLS hello and wait.
 */
public final class CryptoWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoWarmup.class);

  private CryptoWarmup() {}

  public static void run(DtlsCertificate serverCert, ExecutorService executor) {
    long startNs = System.nanoTime();
    DtlsCertificate clientCert = DtlsCertificate.generate();
    DtlsTransport[] ends = new DtlsTransport[2];
    ends[0] = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(),
        (b, o, l) -> ends[1].onPacket(b, o, l));
    ends[1] = new DtlsTransport(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(),
        (b, o, l) -> ends[0].onPacket(b, o, l));
    try {
      CompletableFuture<SrtpKeys> server = ends[0].start(executor);
      CompletableFuture<SrtpKeys> client = ends[1].start(executor);
      SrtpPair a = SrtpPair.from(server.get(10, TimeUnit.SECONDS));
      SrtpPair b = SrtpPair.from(client.get(10, TimeUnit.SECONDS));
      byte[] packet = new byte[12 + 100 + SrtpEncoder.MAX_OVERHEAD];
      packet[0] = (byte) 0x80;
      packet[1] = 96;
      int len = a.encoder().protectRtp(packet, 0, 112);
      if (b.decoder().unprotectRtp(packet, 0, len) != 112) {
        LOG.warn("crypto warm-up: SRTP round trip did not match");
      }
      LOG.debug("crypto warm-up took {} ms", (System.nanoTime() - startNs) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("crypto warm-up failed: {}", e.toString());
    } finally {
      ends[0].close();
      ends[1].close();
    }
  }
}
