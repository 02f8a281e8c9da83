package io.projector.sfu.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendLanesTest {

  /** Records the first 4 bytes (a sequence number) of each datagram and the thread that sent it. */
  private static final class Recorder implements DatagramSender {
    final List<Integer> seqs = Collections.synchronizedList(new ArrayList<>());
    final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch done;

    Recorder(int expected) {
      done = new CountDownLatch(expected);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      seqs.add(((buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8)
          | (buf[off + 3] & 0xff));
      threads.add(Thread.currentThread());
      done.countDown();
      return true;
    }
  }

  private static byte[] datagram(int seq, byte[] buf) {
    buf[0] = (byte) (seq >>> 24);
    buf[1] = (byte) (seq >>> 16);
    buf[2] = (byte) (seq >>> 8);
    buf[3] = (byte) seq;
    return buf;
  }

  /** batching: the native ring, with senders that cannot batch (sent one by one from it). */
  @ParameterizedTest(name = "batching={0}")
  @ValueSource(booleans = {false, true})
  void eachTargetGetsItsDatagramsInOrderFromALaneThread(boolean batching) throws Exception {
    LongAdder dropped = new LongAdder();
    int n = 1000; // at most 2000 per lane: within the ring, so nothing may be dropped
    try (SendLanes lanes = new SendLanes(2, dropped, new LongAdder(), batching)) {
      Recorder[] targets = {new Recorder(n), new Recorder(n), new Recorder(n)};
      DatagramSender[] bound = new DatagramSender[targets.length];
      for (int t = 0; t < targets.length; t++) {
        bound[t] = lanes.bind(targets[t]);
      }
      byte[] buf = new byte[1200]; // reused by the caller, as the worker's scratch buffer is
      for (int i = 0; i < n; i++) {
        for (DatagramSender s : bound) {
          assertTrue(s.send(datagram(i, buf), 0, buf.length));
        }
      }
      for (Recorder r : targets) {
        assertTrue(r.done.await(10, TimeUnit.SECONDS), "every datagram arrives");
        for (int i = 0; i < n; i++) {
          assertEquals(i, r.seqs.get(i), "in order");
        }
        assertNotSame(Thread.currentThread(), r.threads.get(0), "sent from a lane thread");
      }
      assertEquals(0, dropped.sum());
    }
  }

  @ParameterizedTest(name = "batching={0}")
  @ValueSource(booleans = {false, true})
  void aFullRingDropsAndCountsInsteadOfBlocking(boolean batching) throws Exception {
    LongAdder dropped = new LongAdder();
    CountDownLatch release = new CountDownLatch(1);
    Recorder received = new Recorder(SendLanes.SLOTS);
    DatagramSender slow = (buf, off, len) -> {
      try {
        release.await(10, TimeUnit.SECONDS); // the lane thread is stuck in a send
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return received.send(buf, off, len);
    };
    try (SendLanes lanes = new SendLanes(1, dropped, new LongAdder(), batching)) {
      DatagramSender s = lanes.bind(slow);
      byte[] buf = new byte[100];
      int accepted = 0;
      for (int i = 0; i < SendLanes.SLOTS + 5; i++) {
        if (s.send(datagram(i, buf), 0, buf.length)) {
          accepted++;
        }
      }
      assertEquals(SendLanes.SLOTS, accepted, "the ring holds SLOTS datagrams");
      assertEquals(5, dropped.sum());
      assertFalse(s.send(new byte[SendLanes.MAX_DATAGRAM + 1], 0, SendLanes.MAX_DATAGRAM + 1), "too large");
      release.countDown();
      assertTrue(received.done.await(10, TimeUnit.SECONDS));
      assertEquals(0, received.seqs.get(0));
      assertEquals(SendLanes.SLOTS - 1, received.seqs.get(SendLanes.SLOTS - 1));
    }
  }

  @Test
  void withoutLanesTheTargetIsUsedDirectly() {
    Recorder r = new Recorder(1);
    try (SendLanes none = new SendLanes(0, new LongAdder(), new LongAdder())) {
      assertTrue(none.bind(r) == r);
    }
  }
}
