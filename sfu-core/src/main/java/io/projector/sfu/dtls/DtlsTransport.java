package io.projector.sfu.dtls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS-SRTP association (RFC 5763/5764) over an ICE-established path, built on BouncyCastle's blocking DTLS
 * API. The network thread feeds records in with {@link #onPacket}; a single executor thread runs the handshake
 * and then keeps serving the association (retransmitted flights, close_notify) until it ends.
 */
public final class DtlsTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsTransport.class);

    static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
    /**
     * GCM first: as DTLS server we pick it whenever the client offers it (Chrome does). As DTLS client the
     * server decides; Chromium 156 as server picked AES_CM_128_HMAC_SHA1_80 from this very list.
     */
    static final List<SrtpProfile> DEFAULT_PROFILES =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    /** Upper bound of one receive in the serve loop; BC checks its retransmit timers between receives. */
    private static final int SERVE_POLL_MS = 1_000;

    private final DtlsRole role;
    private final DtlsCertificate local;
    private final Fingerprint expectedRemote;
    private final List<SrtpProfile> profiles;
    private final int handshakeTimeoutMs;
    private final QueueDatagramTransport transport;
    private final CompletableFuture<SrtpKeys> handshake = new CompletableFuture<>();
    private final AtomicLong applicationDataIgnored = new AtomicLong();

    private final Object lock = new Object();
    private boolean started; // guarded by lock
    private volatile boolean closeRequested; // written under lock
    private boolean closedFired; // guarded by lock
    private final List<Runnable> closeListeners = new ArrayList<>(1); // guarded by lock
    private volatile boolean handshakeComplete;
    /** After the handshake: the shortest fragment a protected record of the negotiated suite can have. */
    private volatile int minProtectedFragment;
    private final java.util.concurrent.atomic.AtomicLong forgedRecordsDropped = new java.util.concurrent.atomic.AtomicLong();

    public DtlsTransport(DtlsRole role, DtlsCertificate local, Fingerprint expectedRemote, DatagramSender out) {
        this(role, local, expectedRemote, out, DEFAULT_PROFILES, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    }

    /**
     * @param profiles SRTP profiles to offer (client) or accept (server), in preference order
     * @param handshakeTimeoutMs whole-handshake limit, measured from start()
     */
    DtlsTransport(DtlsRole role, DtlsCertificate local, Fingerprint expectedRemote, DatagramSender out,
            List<SrtpProfile> profiles, int handshakeTimeoutMs) {
        this.role = Objects.requireNonNull(role, "role");
        this.local = Objects.requireNonNull(local, "local");
        this.expectedRemote = Objects.requireNonNull(expectedRemote, "expectedRemote");
        this.profiles = List.copyOf(profiles);
        if (this.profiles.isEmpty() || handshakeTimeoutMs <= 0) {
            throw new IllegalArgumentException("need at least one SRTP profile and a positive handshake timeout");
        }
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.transport = new QueueDatagramTransport(Objects.requireNonNull(out, "out"));
        // Cancelling the returned future is the natural way for a caller to give up: treat it as close().
        handshake.whenComplete((keys, error) -> {
            if (error instanceof CancellationException) {
                close();
            }
        });
    }

    /**
     * Called from the network receive thread for each DTLS record (first byte 20..63). Copies the bytes into a
     * bounded queue; drops and counts them when it is full. Never blocks, never throws.
     */
    public void onPacket(byte[] buf, int off, int len) {
        try {
            int minProtected = minProtectedFragment;
            if (minProtected > 0 && RecordFilter.hasImpossibleProtectedRecord(buf, off, len, minProtected)) {
                // RFC 6347 §4.1.2.7: invalid records are discarded. Handing BC a too-short protected record makes
                // it raise a fatal decode_error and end the association: one forged datagram would cut the peer.
                forgedRecordsDropped.incrementAndGet();
                return;
            }
            transport.offer(buf, off, len);
        } catch (RuntimeException e) {
            // Must not disturb the shared network thread, whatever happens here.
        }
    }

    /**
     * Runs the handshake on the executor (BC's API blocks, so this occupies one thread for the lifetime of the
     * association). Completes with the SRTP keys, or exceptionally with a DtlsException
     * (FingerprintMismatchException when the peer's certificate does not match or is missing). Callbacks
     * attached to the future without an executor run on the DTLS thread and should not block. The executor
     * must run the task on another thread (not inline), since it only returns when the association ends.
     *
     * @throws IllegalStateException if called twice
     */
    public CompletableFuture<SrtpKeys> start(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("start() was already called");
            }
            started = true;
            if (closeRequested) {
                return handshake; // close() already failed it
            }
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            handshake.completeExceptionally(new DtlsException("executor rejected the DTLS task", e));
            transport.close();
            fireClosed();
        }
        return handshake;
    }

    /**
     * Registers a callback run once when the association ends: peer close_notify or fatal alert, close(), or a
     * failed handshake. Runs immediately if it has already ended. Runs on the DTLS thread or the closing thread.
     */
    public void onClosed(Runnable r) {
        Objects.requireNonNull(r, "r");
        synchronized (lock) {
            if (!closedFired) {
                closeListeners.add(r);
                return;
            }
        }
        r.run();
    }

    /** Datagrams dropped because a protected record in them was too short to be genuine. */
    public long forgedRecordsDropped() {
        return forgedRecordsDropped.get();
    }

    public boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    public DtlsRole role() {
        return role;
    }

    /** Datagrams dropped by onPacket (queue full, oversized, after close). */
    public long droppedPackets() {
        return transport.dropped();
    }

    /** DTLS application data (e.g. SCTP data channels) is not supported; such records are counted and dropped. */
    public long applicationDataIgnored() {
        return applicationDataIgnored.get();
    }

    /**
     * Idempotent. Asks the DTLS thread to send close_notify (if connected) and stop; does not wait for it.
     * Before start(), or before the handshake finished, the start() future fails with a DtlsException.
     */
    @Override
    public void close() {
        boolean notStarted;
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            closeRequested = true;
            notStarted = !started;
        }
        transport.requestClose();
        if (notStarted) {
            handshake.completeExceptionally(new DtlsException("DTLS transport closed before start()"));
            transport.close();
            fireClosed();
        }
    }

    private void run() {
        DTLSTransport dtls = null;
        try {
            SrtpKeys keys;
            int suite;
            if (role == DtlsRole.SERVER) {
                SrtpDtlsServer server = new SrtpDtlsServer(local, expectedRemote, profiles, handshakeTimeoutMs);
                dtls = new DTLSServerProtocol().accept(server, transport);
                keys = server.keys();
                suite = server.negotiatedCipherSuite();
            } else {
                SrtpDtlsClient client = new SrtpDtlsClient(local, expectedRemote, profiles, handshakeTimeoutMs);
                dtls = new DTLSClientProtocol().connect(client, transport);
                keys = client.keys();
                suite = client.negotiatedCipherSuite();
            }
            minProtectedFragment = RecordFilter.minProtectedFragment(suite);
            handshakeComplete = true;
            LOG.debug("DTLS {} handshake complete, SRTP profile {}", role, keys.profile());
            handshake.complete(keys);
            serve(dtls);
        } catch (Exception | Error e) {
            // Errors too: a caller must never wait on a future that nobody will complete.
            if (!handshake.isDone()) {
                DtlsException failure = toDtlsException(e);
                LOG.info("DTLS {} handshake failed: {}", role, failure.getMessage());
                handshake.completeExceptionally(failure);
            } else {
                LOG.debug("DTLS {} association ended: {}", role, e.toString());
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (dtls != null) {
                try {
                    dtls.close(); // sends close_notify unless BC already closed or failed the association
                } catch (IOException | RuntimeException e) {
                    LOG.debug("DTLS close failed: {}", e.toString());
                }
            }
            transport.close();
            fireClosed();
        }
    }

    /**
     * Keeps BC's record layer running after the handshake: it answers retransmitted final flights (our last
     * flight may have been lost) and processes alerts. Returns by exception: closed (InterruptedIOException),
     * fatal alert received, or transport failure.
     */
    private void serve(DTLSTransport dtls) throws IOException {
        byte[] buf = new byte[Math.max(1, dtls.getReceiveLimit())];
        while (!closeRequested && !transport.isClosed()) {
            if (dtls.receive(buf, 0, buf.length, SERVE_POLL_MS) >= 0) {
                applicationDataIgnored.incrementAndGet();
            }
        }
    }

    private DtlsException toDtlsException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateRejected rejected) {
                return new FingerprintMismatchException(rejected.reason(), e);
            }
        }
        if (closeRequested) {
            return new DtlsException("DTLS transport closed before the handshake completed", e);
        }
        if (e instanceof TlsTimeoutException) {
            return new DtlsException("DTLS handshake timed out after " + handshakeTimeoutMs + " ms", e);
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return new DtlsException("peer aborted the DTLS handshake with alert "
                    + AlertDescription.getText(received.getAlertDescription()), e);
        }
        if (e instanceof TlsFatalAlert alert) {
            return new DtlsException("DTLS handshake failed: " + alert.getMessage(), e);
        }
        return new DtlsException("DTLS handshake failed: " + e, e);
    }

    private void fireClosed() {
        List<Runnable> listeners;
        synchronized (lock) {
            if (closedFired) {
                return;
            }
            closedFired = true;
            listeners = new ArrayList<>(closeListeners);
            closeListeners.clear();
        }
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("DTLS onClosed callback failed", e);
            }
        }
    }
}
