package io.projector.sfu.dtls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** After the handshake, how long one receive of a drain task waits for more (it only runs when data is queued). */
    private static final int DRAIN_POLL_MS = 1;
    private static final int RECEIVE_BUFFER_BYTES = 1500;

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
    /** The association once the handshake is done; from then on only drain tasks (one at a time) touch it. */
    private volatile DTLSTransport association;
    private volatile Executor executor;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    // Handshake timing, for the connection log line (diagnostics only).
    private volatile long firstRecordNs;
    private volatile long firstSendNs;
    private volatile long completedNs;

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
        Objects.requireNonNull(out, "out");
        this.transport = new QueueDatagramTransport((b, o, l) -> {
            if (firstSendNs == 0) {
                firstSendNs = System.nanoTime();
            }
            out.send(b, o, l);
        });
        // Cancelling the returned future is the natural way for a caller to give up: treat it as close().
        handshake.whenComplete((keys, error) -> {
            if (error instanceof CancellationException) {
                close();
            }
        });
    }

    /**
     * How the handshake's time split, for logs: "first flight in X ms, done Y ms after the peer's first record"
     * (as server: our reply to the ClientHello, then until the peer's last flight was verified).
     */
    public String handshakeTiming() {
        long first = firstRecordNs;
        long sent = firstSendNs;
        long done = completedNs;
        if (first == 0 || done == 0) {
            return "handshake incomplete";
        }
        return (sent >= first ? "replied in " + (sent - first) / 1_000_000 + " ms, " : "")
                + "done " + (done - first) / 1_000_000 + " ms after the first record";
    }

    /**
     * Called from the network receive thread for each DTLS record (first byte 20..63). Copies the bytes into a
     * bounded queue; drops and counts them when it is full. Never blocks, never throws.
     */
    public void onPacket(byte[] buf, int off, int len) {
        if (firstRecordNs == 0) {
            firstRecordNs = System.nanoTime();
        }
        try {
            int minProtected = minProtectedFragment;
            if (minProtected > 0 && RecordFilter.hasImpossibleProtectedRecord(buf, off, len, minProtected)) {
                // RFC 6347 §4.1.2.7: invalid records are discarded. Handing BC a too-short protected record makes
                // it raise a fatal decode_error and end the association: one forged datagram would cut the peer.
                forgedRecordsDropped.incrementAndGet();
                return;
            }
            transport.offer(buf, off, len);
            if (association != null) {
                scheduleDrain();
            }
        } catch (RuntimeException e) {
            // Must not disturb the shared network thread, whatever happens here.
        }
    }

    /**
     * Runs the handshake on the executor (BC's API blocks, so this occupies one thread until the handshake ends).
     * After it, no thread is held: each arriving record (a retransmitted flight, an alert, close_notify) runs a
     * short drain task on the same executor, so a thousand connected peers cost no thread each. Completes with the SRTP keys, or exceptionally with a DtlsException
     * (FingerprintMismatchException when the peer's certificate does not match or is missing). Callbacks
     * attached to the future without an executor run on the DTLS thread and should not block. The executor
     * must run the handshake on another thread (not inline).
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
        this.executor = executor;
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
        DTLSTransport established = association;
        if (established != null) {
            // Not through scheduleDrain: a drain task queued before an executor's shutdownNow() never runs, and its
            // flag would keep the end from being scheduled. end() runs once, whoever gets there first.
            try {
                executor.execute(() -> end(established));
            } catch (RejectedExecutionException e) {
                end(established);
            }
        }
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
            association = dtls;
            completedNs = System.nanoTime();
            handshake.complete(keys);
            scheduleDrain(); // records that arrived while the handshake finished, or a close requested meanwhile
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
            if (association == null) {
                end(dtls);
            }
        }
    }

    private void scheduleDrain() {
        if (!draining.compareAndSet(false, true)) {
            return; // the running task will see the new record
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            end(association);
        }
    }

    /**
     * Feeds queued records to BC's record layer: it answers retransmitted final flights (our last flight may have
     * been lost) and processes alerts and close_notify. Ends the association when it was closed on either side.
     */
    private void drain() {
        DTLSTransport dtls = association;
        byte[] buf = new byte[RECEIVE_BUFFER_BYTES];
        try {
            while (true) {
                while (transport.hasQueued() && !closeRequested && !transport.isClosed()) {
                    if (dtls.receive(buf, 0, buf.length, DRAIN_POLL_MS) >= 0) {
                        applicationDataIgnored.incrementAndGet();
                    }
                }
                if (closeRequested || transport.isClosed()) {
                    end(dtls);
                    return;
                }
                draining.set(false);
                if (!transport.hasQueued() || !draining.compareAndSet(false, true)) {
                    return; // nothing new, or a new task took over
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS {} association ended: {}", role, e.toString());
            end(dtls);
        }
    }

    /** Once: close_notify (unless BC already closed or failed the association), then the close listeners. */
    private void end(DTLSTransport dtls) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS close failed: {}", e.toString());
            }
        }
        transport.close();
        fireClosed();
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
