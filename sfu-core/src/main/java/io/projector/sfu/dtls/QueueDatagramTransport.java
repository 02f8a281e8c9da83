package io.projector.sfu.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DatagramTransport;

/**
 * Adapts the push-style network receive path to BC's blocking pull API: onPacket() copies each datagram into a
 * bounded queue (never blocking the network thread); BC's handshake thread, and after the handshake a short
 * drain task per arrival, poll it.
 */
final class QueueDatagramTransport implements DatagramTransport {

    /** DTLS only carries handshake flights and alerts here; 64 datagrams is several complete flights. */
    static final int QUEUE_CAPACITY = 64;
    /** Chrome and Firefox keep DTLS datagrams well below 1200 bytes; sending larger risks IP fragmentation. */
    static final int SEND_LIMIT_BYTES = 1200;
    /** Accept anything up to an Ethernet MTU, so a peer using a larger MTU than ours is not cut off. */
    static final int RECEIVE_LIMIT_BYTES = 1500;

    /** Put into the queue to wake a blocked poll when close is requested. */
    private static final byte[] WAKE_UP = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DatagramSender out;
    private final AtomicLong dropped = new AtomicLong();
    /** Set by DtlsTransport.close(): the next receive() throws so that BC returns control to us. */
    private volatile boolean closeRequested;
    /** Set when BC itself closes the transport (after sending or receiving close_notify, or on failure). */
    private volatile boolean closed;

    QueueDatagramTransport(DatagramSender out) {
        this.out = out;
    }

    /** Network thread: copy and enqueue; drops (and counts) when full or closed. Never blocks. */
    void offer(byte[] buf, int off, int len) {
        if (closed || buf == null || off < 0 || len <= 0 || len > buf.length - off || len > RECEIVE_LIMIT_BYTES) {
            dropped.incrementAndGet();
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        if (!queue.offer(copy)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether a datagram (or a wake-up) waits to be received. */
    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** Makes the DTLS thread leave BC's receive loop as soon as possible. */
    void requestClose() {
        closeRequested = true;
        queue.offer(WAKE_UP); // if the queue is full the poll returns at once anyway
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT_BYTES;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT_BYTES;
    }

    /**
     * Returns a datagram, or -1 on timeout (BC treats both -1 and SocketTimeoutException as "nothing yet").
     * A waitMillis of 0 means wait indefinitely, as in BC. Throws a plain InterruptedIOException once closed or
     * close-requested: BC's DTLSTransport rethrows that without raising a fatal alert, so we can still send a
     * clean close_notify afterwards.
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            if (closeRequested || closed) {
                throw new InterruptedIOException("DTLS transport closed");
            }
            byte[] datagram;
            try {
                if (waitMillis == 0) {
                    datagram = queue.take();
                } else {
                    long remainingNs = deadlineNs - System.nanoTime();
                    datagram = remainingNs > 0 ? queue.poll(remainingNs, TimeUnit.NANOSECONDS) : null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for DTLS data");
            }
            if (datagram == null) {
                return -1;
            }
            if (datagram == WAKE_UP) {
                continue; // loop re-checks the flags
            }
            if (datagram.length > len) {
                dropped.incrementAndGet(); // offer() already drops these; defensive only
                continue;
            }
            System.arraycopy(datagram, 0, buf, off, datagram.length);
            return datagram.length;
        }
    }

    /**
     * Sends with the interrupt flag temporarily cleared: after shutdownNow() BC still sends an alert or
     * close_notify from this thread, and a write from an interrupted thread would close a shared NIO channel.
     */
    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            out.send(buf, off, len);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.offer(WAKE_UP);
    }
}
