package io.projector.loadtest.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator's receive side: one thread and one selector over every peer's socket, so a thousand viewers
 * cost one thread, not a thousand. Datagrams are read into one reused buffer and handed to the peer's
 * {@link Receiver} on this thread; a receiver must not block and must copy what it keeps.
 */
public final class NetworkLoop implements AutoCloseable {
  /** Gets the datagrams of one socket, on the loop's thread. */
  public interface Receiver {
    void onDatagram(byte[] buf, int length, long nowNs);
  }

  private record Registration(DatagramChannel channel, Receiver receiver) {}

  private final Selector selector;
  private final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final AtomicLong datagrams = new AtomicLong();
  private volatile boolean closed;

  public NetworkLoop(String name) throws IOException {
    selector = Selector.open();
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  /** Starts delivering the channel's datagrams to the receiver; the channel is made non-blocking. */
  public void register(DatagramChannel channel, Receiver receiver) throws IOException {
    channel.configureBlocking(false);
    pending.add(new Registration(channel, receiver));
    selector.wakeup();
  }

  /** Datagrams delivered so far. */
  public long datagrams() {
    return datagrams.get();
  }

  private void run() {
    byte[] array = new byte[2048];
    ByteBuffer buffer = ByteBuffer.wrap(array);
    long delivered = 0;
    while (!closed) {
      try {
        selector.select(100);
      } catch (IOException e) {
        return;
      }
      for (Registration r; (r = pending.poll()) != null; ) {
        try {
          r.channel().register(selector, SelectionKey.OP_READ, r.receiver());
        } catch (ClosedChannelException e) {
          // closed before it was registered
        }
      }
      for (SelectionKey key : selector.selectedKeys()) {
        DatagramChannel channel = (DatagramChannel) key.channel();
        Receiver receiver = (Receiver) key.attachment();
        try {
          while (true) { // drain: one wake-up per burst, not per datagram
            buffer.clear();
            if (channel.receive(buffer) == null) {
              break;
            }
            delivered++;
            receiver.onDatagram(array, buffer.position(), System.nanoTime());
          }
        } catch (IOException e) {
          key.cancel(); // closed by its peer
        } catch (RuntimeException e) {
          // a receiver's bug must not stop every other peer's traffic; it shows up as missing packets
        }
      }
      selector.selectedKeys().clear();
      datagrams.set(delivered);
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // nothing left to free
    }
  }
}
