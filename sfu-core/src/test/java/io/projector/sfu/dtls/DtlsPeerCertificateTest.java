package io.projector.sfu.dtls;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DtlsPeerCertificateTest {
    private static final long WAIT_SECONDS = 5;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void anEmptyCertificateChainIsRejected() {
        Fingerprint expected = DtlsCertificate.generate().fingerprint();
        PeerCertificateRejected e = assertThrows(PeerCertificateRejected.class,
                () -> DtlsPeers.verifyPeer(Certificate.EMPTY_CHAIN, expected));
        assertTrue(e.reason().contains("no certificate"), e.reason());
    }

    @Test
    void serverFailsWithFingerprintMismatchWhenTheClientSendsNoCertificate() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate();
        AtomicReference<DtlsTransport> serverRef = new AtomicReference<>();
        QueueDatagramTransport clientSide =
                new QueueDatagramTransport((buf, off, len) -> serverRef.get().onPacket(buf, off, len));
        DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(),
                clientSide::offer);
        serverRef.set(server);
        SrtpDtlsClient certificateless = new SrtpDtlsClient(clientCert, serverCert.fingerprint(),
                DtlsTransport.DEFAULT_PROFILES, DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT_MS) {
            @Override
            public TlsAuthentication getAuthentication() {
                TlsAuthentication checking = super.getAuthentication();
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate cert) throws IOException {
                        checking.notifyServerCertificate(cert);
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest request) {
                        return null; // BC then sends an empty Certificate message
                    }
                };
            }
        };

        try {
            CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
            Future<?> client = executor.submit(() -> new DTLSClientProtocol().connect(certificateless, clientSide));

            ExecutionException serverFailure = assertThrows(ExecutionException.class,
                    () -> serverKeys.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(FingerprintMismatchException.class, serverFailure.getCause());
            assertTrue(serverFailure.getCause().getMessage().contains("no certificate"));
            assertThrows(ExecutionException.class, () -> client.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            server.close();
        }
    }
}
