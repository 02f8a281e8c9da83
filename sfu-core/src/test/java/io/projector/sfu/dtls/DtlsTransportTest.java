package io.projector.sfu.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.projector.sfu.srtp.SrtpDecoder;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import io.projector.sfu.srtp.TestPackets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DtlsTransportTest {
    private static final long WAIT_SECONDS = 5;

    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;
    private static DtlsCertificate strangerCert;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private DtlsTransport server;
    private DtlsTransport client;

    @BeforeAll
    static void generateCertificates() {
        serverCert = DtlsCertificate.generate();
        clientCert = DtlsCertificate.generate();
        strangerCert = DtlsCertificate.generate();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
        executor.shutdownNow();
    }

    /** Wires a SERVER and a CLIENT back to back in memory: each side's sender feeds the other's onPacket. */
    private void wire(Fingerprint serverExpects, Fingerprint clientExpects, List<SrtpProfile> clientOffers) {
        AtomicReference<DtlsTransport> serverRef = new AtomicReference<>();
        AtomicReference<DtlsTransport> clientRef = new AtomicReference<>();
        server = new DtlsTransport(DtlsRole.SERVER, serverCert, serverExpects,
                (buf, off, len) -> clientRef.get().onPacket(buf, off, len));
        client = new DtlsTransport(DtlsRole.CLIENT, clientCert, clientExpects,
                (buf, off, len) -> serverRef.get().onPacket(buf, off, len),
                clientOffers, DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT_MS);
        serverRef.set(server);
        clientRef.set(client);
    }

    private void wire(List<SrtpProfile> clientOffers) {
        wire(clientCert.fingerprint(), serverCert.fingerprint(), clientOffers);
    }

    private static SrtpKeys await(CompletableFuture<SrtpKeys> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<SrtpKeys> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void bothSidesCompleteWithMatchingKeysAndSrtpFlowsBothWays(SrtpProfile profile) throws Exception {
        wire(List.of(profile));
        CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
        CompletableFuture<SrtpKeys> clientKeys = client.start(executor);
        SrtpKeys s = await(serverKeys);
        SrtpKeys c = await(clientKeys);

        assertEquals(profile, s.profile());
        assertEquals(profile, c.profile());
        assertArrayEquals(s.localKey(), c.remoteKey());
        assertArrayEquals(s.localSalt(), c.remoteSalt());
        assertArrayEquals(c.localKey(), s.remoteKey());
        assertArrayEquals(c.localSalt(), s.remoteSalt());
        assertFalse(Arrays.equals(s.localKey(), s.remoteKey()), "each direction has its own key");
        assertTrue(server.isHandshakeComplete() && client.isHandshakeComplete());
        assertTrue(server.handshakeTiming().matches("replied in \\d+ ms, done \\d+ ms after the first record"),
            server.handshakeTiming());

        SrtpPair serverSrtp = SrtpPair.from(s);
        SrtpPair clientSrtp = SrtpPair.from(c);
        assertRtpAndRtcpRoundTrip(serverSrtp.encoder(), clientSrtp.decoder(), 0x1111_1111);
        assertRtpAndRtcpRoundTrip(clientSrtp.encoder(), serverSrtp.decoder(), 0x2222_2222);
    }

    @Test
    void handshakeTimingIsOnlyReportedOnceTheHandshakeIsDone() {
        wire(DtlsTransport.DEFAULT_PROFILES);
        assertEquals("handshake incomplete", server.handshakeTiming());
    }

    @Test
    void serverPrefersGcmEvenWhenTheClientListsItLast() throws Exception {
        wire(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
        CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
        CompletableFuture<SrtpKeys> clientKeys = client.start(executor);

        assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(serverKeys).profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(clientKeys).profile());
    }

    @Test
    void clientExpectingAnotherFingerprintFailsWithMismatchAndTheServerFailsToo() {
        wire(clientCert.fingerprint(), strangerCert.fingerprint(), DtlsTransport.DEFAULT_PROFILES);
        CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
        CompletableFuture<SrtpKeys> clientKeys = client.start(executor);

        Throwable clientFailure = failureOf(clientKeys);
        assertInstanceOf(FingerprintMismatchException.class, clientFailure);
        assertTrue(clientFailure.getMessage().contains(strangerCert.fingerprint().abbreviated()),
                clientFailure.getMessage());
        Throwable serverFailure = failureOf(serverKeys);
        assertInstanceOf(DtlsException.class, serverFailure);
        assertFalse(serverFailure instanceof FingerprintMismatchException, serverFailure.toString());
        assertFalse(server.isHandshakeComplete() || client.isHandshakeComplete());
    }

    @Test
    void serverExpectingAnotherFingerprintFailsWithMismatchAndTheClientFailsToo() {
        wire(strangerCert.fingerprint(), serverCert.fingerprint(), DtlsTransport.DEFAULT_PROFILES);
        CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
        CompletableFuture<SrtpKeys> clientKeys = client.start(executor);

        assertInstanceOf(FingerprintMismatchException.class, failureOf(serverKeys));
        Throwable clientFailure = failureOf(clientKeys);
        assertInstanceOf(DtlsException.class, clientFailure);
        assertFalse(clientFailure instanceof FingerprintMismatchException, clientFailure.toString());
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void handshakeWithASilentPeerTimesOut(DtlsRole role) {
        server = new DtlsTransport(role, serverCert, clientCert.fingerprint(), (buf, off, len) -> { },
                DtlsTransport.DEFAULT_PROFILES, 300);
        Throwable failure = failureOf(server.start(executor));

        assertInstanceOf(DtlsException.class, failure);
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
    }

    @Test
    void closingOneSideSendsCloseNotifyAndBothSidesReportClosed() throws Exception {
        wire(DtlsTransport.DEFAULT_PROFILES);
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        CompletableFuture<Void> clientClosed = new CompletableFuture<>();
        server.onClosed(() -> serverClosed.complete(null));
        client.onClosed(() -> clientClosed.complete(null));
        CompletableFuture<SrtpKeys> serverKeys = server.start(executor);
        await(client.start(executor));
        await(serverKeys);

        client.close();

        clientClosed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS); // only reachable through the peer's close_notify
        CompletableFuture<Void> late = new CompletableFuture<>();
        server.onClosed(() -> late.complete(null));
        assertTrue(late.isDone(), "a callback registered after closing runs at once");
    }

    @Test
    void closeAfterTheExecutorShutDownStillSendsCloseNotifyFromANonInterruptedSender() throws Exception {
        ExecutorService serverExecutor = Executors.newSingleThreadExecutor();
        AtomicReference<DtlsTransport> clientRef = new AtomicReference<>();
        CompletableFuture<Boolean> lastSendInterrupted = new CompletableFuture<>();
        server = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), (buf, off, len) -> {
            if (buf[off] == 21) { // alert record: the close_notify
                lastSendInterrupted.complete(Thread.currentThread().isInterrupted());
            }
            clientRef.get().onPacket(buf, off, len);
        });
        client = new DtlsTransport(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(),
                (buf, off, len) -> server.onPacket(buf, off, len));
        clientRef.set(client);
        CompletableFuture<Void> clientClosed = new CompletableFuture<>();
        client.onClosed(() -> clientClosed.complete(null));
        CompletableFuture<SrtpKeys> serverKeys = server.start(serverExecutor);
        await(client.start(executor));
        await(serverKeys);

        serverExecutor.shutdownNow();
        server.close();

        assertFalse(lastSendInterrupted.get(WAIT_SECONDS, TimeUnit.SECONDS));
        clientClosed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void anEstablishedAssociationHoldsNoThread() throws Exception {
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) Executors.newCachedThreadPool();
        try {
            server = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(),
                    (buf, off, len) -> client.onPacket(buf, off, len));
            client = new DtlsTransport(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(),
                    (buf, off, len) -> server.onPacket(buf, off, len));
            CompletableFuture<SrtpKeys> serverKeys = server.start(pool);
            await(client.start(pool));
            await(serverKeys);
            // A short drain task may still run (a record that crossed the handshake's end); the association
            // itself must leave the pool idle. The held-thread design never got there: it sat in receive.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            boolean idle = false;
            while (!idle && System.nanoTime() < deadline) {
                idle = pool.getActiveCount() == 0;
                Thread.onSpinWait();
            }
            assertTrue(idle, "both ends connected, no thread busy");

            CompletableFuture<Void> serverClosed = new CompletableFuture<>();
            server.onClosed(() -> serverClosed.complete(null));
            client.close(); // close_notify reaches the server through a drain task
            serverClosed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeBeforeStartFailsTheHandshakeAndRunsOnClosed() {
        wire(DtlsTransport.DEFAULT_PROFILES);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        server.onClosed(() -> closed.complete(null));

        server.close();
        server.close(); // idempotent

        assertTrue(closed.isDone());
        assertInstanceOf(DtlsException.class, failureOf(server.start(executor)));
    }

    @Test
    void closeDuringTheHandshakeFailsItPromptlyAndRunsOnClosed() throws Exception {
        server = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), (buf, off, len) -> { });
        CompletableFuture<Void> closed = new CompletableFuture<>();
        server.onClosed(() -> closed.complete(null));
        CompletableFuture<SrtpKeys> keys = server.start(executor);

        server.close();

        Throwable failure = failureOf(keys);
        assertInstanceOf(DtlsException.class, failure);
        assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
        closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void cancellingTheHandshakeFutureClosesTheTransport() throws Exception {
        server = new DtlsTransport(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), (buf, off, len) -> { });
        CompletableFuture<Void> closed = new CompletableFuture<>();
        server.onClosed(() -> closed.complete(null));

        server.start(executor).cancel(false);

        closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void onPacketDropsWhenTheQueueIsFullAndNeverThrows() {
        wire(DtlsTransport.DEFAULT_PROFILES);
        byte[] record = new byte[100];
        record[0] = 22; // handshake content type
        for (int i = 0; i < QueueDatagramTransport.QUEUE_CAPACITY + 10; i++) {
            server.onPacket(record, 0, record.length);
        }
        server.onPacket(null, 0, 10);
        server.onPacket(record, 90, 20);
        server.onPacket(record, -1, 5);
        server.onPacket(new byte[2000], 0, 2000);

        assertEquals(10 + 4, server.droppedPackets());
    }

    private static void assertRtpAndRtcpRoundTrip(SrtpEncoder encoder, SrtpDecoder decoder, int ssrc) {
        int payloadBytes = 160;
        byte[] rtp = TestPackets.rtp(ssrc, 4711, payloadBytes);
        int rtpLen = TestPackets.rtpLength(payloadBytes);
        byte[] plainRtp = TestPackets.copy(rtp, rtpLen);
        int protectedRtp = encoder.protectRtp(rtp, 0, rtpLen);
        assertTrue(protectedRtp > rtpLen);
        assertFalse(Arrays.equals(plainRtp, TestPackets.copy(rtp, rtpLen)), "payload is encrypted");
        assertEquals(rtpLen, decoder.unprotectRtp(rtp, 0, protectedRtp));
        assertArrayEquals(plainRtp, TestPackets.copy(rtp, rtpLen));

        byte[] rtcp = TestPackets.receiverReport(ssrc, 0x3333_3333);
        byte[] plainRtcp = TestPackets.copy(rtcp, TestPackets.RECEIVER_REPORT_LENGTH);
        int protectedRtcp = encoder.protectRtcp(rtcp, 0, TestPackets.RECEIVER_REPORT_LENGTH);
        assertEquals(TestPackets.RECEIVER_REPORT_LENGTH, decoder.unprotectRtcp(rtcp, 0, protectedRtcp));
        assertArrayEquals(plainRtcp, TestPackets.copy(rtcp, TestPackets.RECEIVER_REPORT_LENGTH));
    }
}
