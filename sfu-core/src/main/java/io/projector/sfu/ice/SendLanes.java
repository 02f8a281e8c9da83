package io.projector.sfu.ice;

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
 * spins briefly when the ring is empty, then parks until a producer wakes it.
 */
public final class SendLanes implements AutoCloseable {
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;
  static final int MAX_DATAGRAM = 1500;
  private static final int SPINS_BEFORE_PARK = 2000;

  private final Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();
  private final LongAdder dropped;

  /**
   * @param threads 0: no lanes, senders are used directly on the caller's thread
   * @param dropped counts datagrams dropped because a lane's ring was full
   */
  public SendLanes(int threads, LongAdder dropped) {
    this.dropped = dropped;
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
    private final byte[][] data = new byte[SLOTS][MAX_DATAGRAM];
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
        System.arraycopy(buf, off, data[i], 0, len);
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
      int idle = 0;
      while (!closed) {
        long t = tail.get();
        int i = (int) (t & MASK);
        if (published.get(i) == t + 1) {
          target[i].send(data[i], 0, length[i]); // a failed send is the transport's to count, as before
          target[i] = null;
          tail.set(t + 1);
          idle = 0;
        } else if (++idle < SPINS_BEFORE_PARK) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (published.get(i) != t + 1 && !closed) { // re-check after announcing: no lost wake-up
            LockSupport.park(this);
          }
          parked = false;
          idle = 0;
        }
      }
    }

    void close() {
      closed = true;
      LockSupport.unpark(thread);
    }
  }
}
