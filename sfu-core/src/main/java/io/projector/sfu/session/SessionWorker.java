package io.projector.sfu.session;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The single thread that owns a session's media state. Network threads and the HTTP layer never touch that
 * state: they enqueue packets and commands here. A bounded queue keeps a flood from exhausting memory
 * (excess packets are counted and dropped). The worker also ticks the session's timers.
 */
final class SessionWorker {
  interface Handler {
    void handlePacket(InboundPacket packet, long nowMs);

    void tick(long nowMs);
  }

  static final int QUEUE_CAPACITY = 4096;
  static final long TICK_INTERVAL_MS = 20;

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /**
   * Packets back from the worker, for the network threads to fill again. An array-backed queue: a linked one
   * would allocate a node for every packet returned. Room for every packet that can be queued or in hand; one
   * that finds it full is left to the garbage collector.
   */
  private final BlockingQueue<InboundPacket> pool = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 64);
  private final Thread thread;
  private final Handler handler;
  private final LongAdder dropped;
  private final io.projector.sfu.MediaCounters counters;
  private volatile boolean running = true;

  SessionWorker(String name, Handler handler, io.projector.sfu.MediaCounters counters) {
    this.handler = handler;
    this.counters = counters;
    this.dropped = counters.droppedQueueFull;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Copies a datagram in and queues it; never blocks. */
  void offerPacket(Peer peer, boolean rtcp, byte[] buf, int off, int len, long arrivalMs) {
    if (len > InboundPacket.CAPACITY - io.projector.sfu.srtp.SrtpEncoder.MAX_OVERHEAD) {
      dropped.increment();
      return;
    }
    InboundPacket p = pool.poll();
    if (p == null) {
      p = new InboundPacket();
    }
    System.arraycopy(buf, off, p.buf, 0, len);
    p.length = len;
    p.arrivalMs = arrivalMs;
    long nowNs = System.nanoTime();
    if (peer.role == Peer.Role.PRESENTER && !rtcp) {
      // When it reached the host, not when our reading thread got to it: the presenter's congestion controller
      // reads our transport-wide feedback as a delay signal (see KernelTimestamps).
      p.arrivalNs = io.projector.sfu.ice.ReceiveThread.arrivalNs(nowNs);
      counters.receiveDelayNs.accept(nowNs - p.arrivalNs);
    } else {
      p.arrivalNs = nowNs;
    }
    p.peer = peer;
    p.rtcp = rtcp;
    if (!queue.offer(p)) {
      p.peer = null;
      pool.offer(p);
      dropped.increment();
    }
  }

  /** Queues a command for the worker thread. Commands are never dropped: they wait for room. */
  void execute(Runnable command) {
    if (!running) {
      return;
    }
    try {
      if (!queue.offer(command, 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("session worker is stuck: command queue full for 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  private void run() {
    long nextTickMs = 0;
    while (running) {
      Object item;
      try {
        item = queue.poll(TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      long nowMs = System.currentTimeMillis();
      try {
        if (item instanceof InboundPacket p) {
          handler.handlePacket(p, nowMs);
          p.peer = null;
          pool.offer(p);
        } else if (item instanceof Runnable r) {
          r.run();
        }
        if (nowMs >= nextTickMs) {
          nextTickMs = nowMs + TICK_INTERVAL_MS;
          handler.tick(nowMs);
        }
      } catch (RuntimeException e) {
        // A bug in one packet's handling must not kill the session; it is logged once per occurrence type.
        MediaSession.LOG.warn("session worker error", e);
      }
    }
  }
}
