package io.projector.sfu.udp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A destination as the kernel takes it: {@code struct sockaddr_in} or {@code sockaddr_in6} (Linux layout), for
 * the family of the socket that sends. An IPv4 destination on an IPv6 socket becomes an IPv4-mapped address.
 */
public final class SockAddr {
  static final int MAX_BYTES = 28;
  private static final short AF_INET = 2;
  private static final short AF_INET6 = 10;

  private SockAddr() {}

  /** The encoded address, or null when it cannot be reached from a socket of that family (IPv6 on IPv4). */
  public static byte[] encode(InetSocketAddress remote, boolean ipv6Socket) {
    InetAddress a = remote.getAddress();
    if (a == null) {
      return null;
    }
    if (!ipv6Socket) {
      if (!(a instanceof Inet4Address)) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
      b.putShort(0, AF_INET);
      b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) remote.getPort());
      b.put(4, a.getAddress());
      return b.array();
    }
    byte[] address16;
    int scope = 0;
    if (a instanceof Inet6Address v6) {
      address16 = v6.getAddress();
      scope = v6.getScopeId();
    } else {
      address16 = new byte[16];
      address16[10] = (byte) 0xff;
      address16[11] = (byte) 0xff;
      System.arraycopy(a.getAddress(), 0, address16, 12, 4);
    }
    ByteBuffer b = ByteBuffer.allocate(MAX_BYTES).order(ByteOrder.nativeOrder());
    b.putShort(0, AF_INET6);
    b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) remote.getPort());
    b.put(8, address16);
    b.order(ByteOrder.nativeOrder()).putInt(24, scope);
    return b.array();
  }
}
