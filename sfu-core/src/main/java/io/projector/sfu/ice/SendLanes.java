package io.projector.sfu.ice;

import io.projector.sfu.udp.MmsgBatch;
import io.projector.sfu.udp.NativeRoute;
import io.projector.sfu.udp.Sendmmsg;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Send threads for the fan-out: a session's worker rewrites and encrypts a packet for each viewer (about a
 * microsecond each) and hands the datagram to the viewer's lane, whose thread makes the send syscall (several
 * microseconds, the larger part). One session's fan-out then uses every core instead of one. Each viewer is
 * bound to one lane for its lifetime, so its packets leave in order, and only that lane's thread touches its
 * transport's send state.
 *
 * <p>A lane is a ring of {@value #SLOTS} preallocated slots: a send copies the datagram into a slot (no
 * allocation); a full ring drops the datagram and counts it, like a full socket buffer would. The lane thread
 * parks as soon as its ring is empty, until a producer wakes it. It used to spin a while first (about 50 µs):
 * on a busy 2-core machine that cost CPU the session worker needed, and at 300 viewers it measured 10 % more server
 * CPU and a longer tail of forwarding delay (server-side p99.9 28 ms against 7–17 ms without spinning).
 *
 * <p>Batching: where {@link Sendmmsg} is available, the ring lives in native memory and the lane hands every
 * datagram waiting in it (up to {@value MmsgBatch#CAPACITY}, consecutive ones leaving from the same socket) to the
 * kernel in one {@code sendmmsg} call, each to its own viewer. Nothing waits to fill a batch: a batch is what
 * piled up while the previous call ran, so a fan-out burst goes out in a few calls and a lone packet in one.
 * Senders that are not {@link BatchableSender}s, or have no native route, are sent one by one as before.
 */
public final class SendLanes implements AutoCloseable {
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;
  static final int MAX_DATAGRAM = 1500;
  /** Slot stride in the native ring: a datagram plus alignment. */
  private static final int NATIVE_SLOT_BYTES = 1536;

  private final Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();
  private final LongAdder dropped;
  private final LongAdder failed;
  private final boolean batching;

  /** Lanes that batch with sendmmsg where it is available. */
  public SendLanes(int threads, LongAdder dropped, LongAdder failed) {
    this(threads, dropped, failed, Sendmmsg.available());
  }

  /**
   * @param threads 0: no lanes, senders are used directly on the caller's thread
   * @param dropped counts datagrams dropped because a lane's ring was full
   * @param failed counts datagrams a lane's send could not hand to the kernel (a socket error)
   * @param batching whether to send with sendmmsg (must be {@link Sendmmsg#available()})
   */
  public SendLanes(int threads, LongAdder dropped, LongAdder failed, boolean batching) {
    if (batching && !Sendmmsg.available()) {
      throw new IllegalArgumentException("sendmmsg unavailable: " + Sendmmsg.unavailableReason());
    }
    this.dropped = dropped;
    this.failed = failed;
    this.batching = batching;
    lanes = new Lane[threads];
    for (int i = 0; i < threads; i++) {
      lanes[i] = new Lane("send-lane-" + i);
    }
  }

  /** A sender that hands every datagram to one lane (round-robin per call of this method) for {@code target}. */
  public DatagramSender bind(DatagramSender target) {
    if (lanes.length == 0) {
      return target;
    }
    Lane lane = lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    return (buf, off, len) -> lane.offer(target, buf, off, len);
  }

  /** Datagrams the lanes have taken from their rings so far (sent, refused or handed to a sender). */
  long taken() {
    long n = 0;
    for (Lane l : lanes) {
      n += l.tail.get();
    }
    return n;
  }

  /** The lanes' threads, for tests. */
  java.util.List<Thread> threads() {
    java.util.List<Thread> out = new java.util.ArrayList<>();
    for (Lane l : lanes) {
      out.add(l.thread);
    }
    return out;
  }

  /** Datagrams dropped because a lane's ring was full. */
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public void close() {
    for (Lane l : lanes) {
      l.close();
    }
  }

  private final class Lane implements Runnable {
    // The ring: on the heap, or in native memory when batching (the kernel reads the datagrams from there).
    private final byte[][] data = batching ? null : new byte[SLOTS][MAX_DATAGRAM];
    private final ByteBuffer ring = batching ? ByteBuffer.allocateDirect(SLOTS * NATIVE_SLOT_BYTES) : null;
    private final long ringAddress = batching ? MmsgBatch.addressOf(ring) : 0;
    private final MmsgBatch batch = batching ? new MmsgBatch() : null;
    private final byte[] scratch = batching ? new byte[MAX_DATAGRAM] : null; // for senders that cannot batch
    private final int[] length = new int[SLOTS];
    private final DatagramSender[] target = new DatagramSender[SLOTS];
    private final AtomicLongArray published = new AtomicLongArray(SLOTS); // slot i holds sequence s: s + 1
    private final AtomicLong tail = new AtomicLong(); // next sequence the lane thread sends
    private long head; // next sequence a producer writes; guarded by this
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    /** Copies the datagram into the ring; false when it does not fit or the ring is full (counted). */
    boolean offer(DatagramSender to, byte[] buf, int off, int len) {
      if (len > MAX_DATAGRAM || closed) {
        dropped.increment();
        return false;
      }
      synchronized (this) { // producers are session workers: usually one per lane at a time
        long h = head;
        if (h - tail.get() >= SLOTS) {
          dropped.increment();
          return false;
        }
        int i = (int) (h & MASK);
        if (ring != null) {
          ring.put(i * NATIVE_SLOT_BYTES, buf, off, len);
        } else {
          System.arraycopy(buf, off, data[i], 0, len);
        }
        length[i] = len;
        target[i] = to;
        published.set(i, h + 1);
        head = h + 1;
      }
      if (parked) {
        LockSupport.unpark(thread);
      }
      return true;
    }

    @Override
    public void run() {
      while (!closed) {
        long t = tail.get();
        int i = (int) (t & MASK);
        if (published.get(i) == t + 1) {
          tail.set(t + (batching ? sendBatch(t) : sendOne(i)));
        } else {
          parked = true;
          if (published.get(i) != t + 1 && !closed) { // re-check after announcing: no lost wake-up
            LockSupport.park(this);
          }
          parked = false;
        }
      }
    }

    /** Sends slot i on its own. @return 1 */
    private int sendOne(int i) {
      boolean sent;
      if (ring != null) {
        ring.get(i * NATIVE_SLOT_BYTES, scratch, 0, length[i]);
        sent = target[i].send(scratch, 0, length[i]);
      } else {
        sent = target[i].send(data[i], 0, length[i]);
      }
      if (!sent) {
        failed.increment();
      }
      target[i] = null;
      return 1;
    }

    /**
     * Sends the published datagrams from sequence t on: consecutive ones with a native route on the same socket
     * in one sendmmsg batch; a datagram without one on its own. @return how many were sent (at least 1)
     */
    private int sendBatch(long t) {
      int n = 0;
      while (!batch.isFull()) {
        long s = t + n;
        int i = (int) (s & MASK);
        if (published.get(i) != s + 1) {
          break;
        }
        NativeRoute route = target[i] instanceof BatchableSender b ? b.nativeRoute() : null;
        if (route == null) {
          if (n == 0) {
            return sendOne(i);
          }
          break;
        }
        if (batch.size() > 0 && route.fd() != batch.fd()) {
          break;
        }
        batch.add(route.fd(), ringAddress + (long) i * NATIVE_SLOT_BYTES, length[i], route.sockaddr());
        target[i] = null;
        n++;
      }
      int refused = batch.send(); // a datagram the kernel refuses is lost like a failed single send
      if (refused > 0) {
        failed.add(refused);
      }
      return n;
    }

    void close() {
      closed = true;
      LockSupport.unpark(thread);
      try {
        thread.join(1000); // the sockets close after us: no send may reach a descriptor number reused meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
