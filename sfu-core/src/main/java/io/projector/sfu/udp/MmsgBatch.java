package io.projector.sfu.udp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One {@code sendmmsg} vector, reused for every call by one thread: up to {@link #CAPACITY} datagrams, each
 * pointing into memory the caller owns (a direct buffer) with its own destination. Struct layout for LP64 Linux:
 * {@code struct mmsghdr} is 64 bytes ({@code msghdr} 56 + {@code msg_len} + padding), {@code struct iovec} 16.
 *
 * <p>Not thread-safe. Allocates nothing per datagram or per call.
 */
public final class MmsgBatch {
  public static final int CAPACITY = 64;
  private static final int MMSGHDR_BYTES = 64;
  private static final int IOVEC_BYTES = 16;
  private static final int NAME_BYTES = 32;
  private static final int HEADERS = 0;
  private static final int IOVECS = HEADERS + CAPACITY * MMSGHDR_BYTES;
  private static final int NAMES = IOVECS + CAPACITY * IOVEC_BYTES;
  private static final int TOTAL = NAMES + CAPACITY * NAME_BYTES;

  private final ByteBuffer memory = ByteBuffer.allocateDirect(TOTAL).order(ByteOrder.nativeOrder());
  private final long base = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
  private int size;
  private int fd = -1;

  public MmsgBatch() {
    for (int j = 0; j < CAPACITY; j++) {
      int h = HEADERS + j * MMSGHDR_BYTES;
      memory.putLong(h, base + NAMES + (long) j * NAME_BYTES); // msg_name
      memory.putLong(h + 16, base + IOVECS + (long) j * IOVEC_BYTES); // msg_iov
      memory.putLong(h + 24, 1); // msg_iovlen; msg_control, msg_controllen and msg_flags stay 0
    }
  }

  /** The native address of a direct buffer's first byte, for {@link #add}. */
  public static long addressOf(ByteBuffer direct) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == CAPACITY;
  }

  /** The socket the datagrams in this batch leave from; -1 when empty. */
  public int fd() {
    return fd;
  }

  /**
   * Adds a datagram. All datagrams of a batch leave from one socket: the caller sends the batch before adding one
   * for another {@code fd}, and never adds to a full batch.
   *
   * @param dataAddress native address of the datagram's bytes; they must stay put until {@link #send}
   * @param sockaddr the destination, from {@link SockAddr#encode}
   */
  public void add(int fd, long dataAddress, int length, byte[] sockaddr) {
    if (size == CAPACITY || (size > 0 && fd != this.fd)) {
      throw new IllegalStateException("batch is full or for another socket");
    }
    this.fd = fd;
    int j = size++;
    int h = HEADERS + j * MMSGHDR_BYTES;
    memory.putInt(h + 8, sockaddr.length); // msg_namelen
    memory.put(NAMES + j * NAME_BYTES, sockaddr);
    int iov = IOVECS + j * IOVEC_BYTES;
    memory.putLong(iov, dataAddress);
    memory.putLong(iov + 8, length);
  }

  /**
   * Sends the batch, as many calls as the kernel needs, and empties it. A datagram the kernel refuses (e.g. no
   * route to its destination, or a full socket buffer) is skipped and counted; the ones after it are still sent.
   *
   * @return datagrams that could not be sent
   */
  public int send() {
    int failed = 0;
    int done = 0;
    while (done < size) {
      int n = Sendmmsg.sendmmsg(fd, base + HEADERS + (long) done * MMSGHDR_BYTES, size - done, 0);
      if (n <= 0) {
        failed++; // the datagram at `done` failed: skip it
        done++;
      } else {
        done += n;
      }
    }
    size = 0;
    fd = -1;
    return failed;
  }
}
