package io.projector.loadtest.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Just enough STUN (RFC 5389) for ICE connectivity checks (RFC 8445 §7): binding requests and success
 * responses with short-term credentials. Written by hand rather than with ice4j's encoder so that the load
 * generator and the test peer meet the server's ICE stack from the outside, byte for byte as a browser does,
 * and need no ice4j StunStack for MESSAGE-INTEGRITY. Not for the hot path: it allocates freely.
 */
public final class StunMessages {
  public static final int BINDING_REQUEST = 0x0001;
  public static final int BINDING_SUCCESS = 0x0101;
  public static final int BINDING_ERROR = 0x0111;
  public static final int MAGIC_COOKIE = 0x2112A442;

  public static final int USERNAME = 0x0006;
  public static final int MESSAGE_INTEGRITY = 0x0008;
  public static final int ERROR_CODE = 0x0009;
  public static final int XOR_MAPPED_ADDRESS = 0x0020;
  public static final int PRIORITY = 0x0024;
  public static final int USE_CANDIDATE = 0x0025;
  public static final int FINGERPRINT = 0x8028;
  public static final int ICE_CONTROLLED = 0x8029;
  public static final int ICE_CONTROLLING = 0x802A;

  private static final int HEADER = 20;
  private static final int FINGERPRINT_XOR = 0x5354554e;

  private StunMessages() {}

  /** A decoded message; {@code integrityOffset} is where MESSAGE-INTEGRITY starts (-1 if absent). */
  public record Parsed(int type, byte[] transactionId, Map<Integer, byte[]> attributes, byte[] raw,
      int integrityOffset) {

    public byte[] attribute(int type) {
      return attributes.get(type);
    }

    public String username() {
      byte[] u = attributes.get(USERNAME);
      return u == null ? null : new String(u, StandardCharsets.UTF_8);
    }

    /** Whether MESSAGE-INTEGRITY is present and is the HMAC-SHA1 keyed with {@code password}. */
    public boolean integrityMatches(String password) {
      byte[] mac = attributes.get(MESSAGE_INTEGRITY);
      if (mac == null || mac.length != 20) {
        return false;
      }
      // RFC 5389 §15.4: computed over everything before the attribute, with the header length field
      // covering the message up to and including MESSAGE-INTEGRITY.
      byte[] covered = Arrays.copyOf(raw, integrityOffset);
      ByteBuffer.wrap(covered).putShort(2, (short) (integrityOffset - HEADER + 24));
      return MessageDigest.isEqual(mac, hmac(password, covered, integrityOffset));
    }
  }

  public static byte[] newTransactionId(java.util.Random random) {
    byte[] id = new byte[12];
    random.nextBytes(id);
    return id;
  }

  /**
   * A connectivity check as the ICE controlling agent sends it: USERNAME "remote:local", PRIORITY,
   * ICE-CONTROLLING, optionally USE-CANDIDATE (aggressive nomination, as browsers do), MESSAGE-INTEGRITY keyed
   * with the remote password, FINGERPRINT.
   */
  public static byte[] bindingRequest(byte[] transactionId, String username, long priority, long tieBreaker,
      boolean useCandidate, String remotePassword) {
    return bindingRequest(transactionId, username, priority, tieBreaker, true, useCandidate, remotePassword);
  }

  /** A connectivity check from either role; only the controlling agent may nominate (USE-CANDIDATE). */
  public static byte[] bindingRequest(byte[] transactionId, String username, long priority, long tieBreaker,
      boolean controlling, boolean useCandidate, String remotePassword) {
    Builder b = new Builder(BINDING_REQUEST, transactionId)
        .attribute(USERNAME, username.getBytes(StandardCharsets.UTF_8))
        .attribute(PRIORITY, ByteBuffer.allocate(4).putInt((int) priority).array())
        .attribute(controlling ? ICE_CONTROLLING : ICE_CONTROLLED, ByteBuffer.allocate(8).putLong(tieBreaker).array());
    if (useCandidate && controlling) {
      b.attribute(USE_CANDIDATE, new byte[0]);
    }
    return b.finish(remotePassword);
  }

  /** The answer to a check from the SFU: XOR-MAPPED-ADDRESS of the sender, integrity with our own password. */
  public static byte[] bindingSuccess(byte[] transactionId, InetSocketAddress mapped, String localPassword) {
    return new Builder(BINDING_SUCCESS, transactionId)
        .attribute(XOR_MAPPED_ADDRESS, xorAddress(mapped, transactionId))
        .finish(localPassword);
  }

  /** Decodes a STUN message, or returns null for anything that is not well-formed STUN. */
  public static Parsed parse(byte[] buf, int len) {
    if (len < HEADER || (buf[0] & 0xc0) != 0) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
    int type = bb.getShort(0) & 0xffff;
    int length = bb.getShort(2) & 0xffff;
    if (bb.getInt(4) != MAGIC_COOKIE || HEADER + length != len || length % 4 != 0) {
      return null;
    }
    Map<Integer, byte[]> attributes = new HashMap<>();
    int integrityOffset = -1;
    int pos = HEADER;
    while (pos + 4 <= len) {
      int attrType = bb.getShort(pos) & 0xffff;
      int attrLength = bb.getShort(pos + 2) & 0xffff;
      if (pos + 4 + attrLength > len) {
        return null;
      }
      if (attrType == MESSAGE_INTEGRITY) {
        integrityOffset = pos;
      }
      attributes.putIfAbsent(attrType, Arrays.copyOfRange(buf, pos + 4, pos + 4 + attrLength));
      pos += 4 + ((attrLength + 3) & ~3);
    }
    return new Parsed(type, Arrays.copyOfRange(buf, 8, 20), attributes, Arrays.copyOf(buf, len), integrityOffset);
  }

  /** The address in an XOR-MAPPED-ADDRESS value (IPv4 or IPv6). */
  public static InetSocketAddress xorMappedAddress(byte[] value, byte[] transactionId) {
    int port = (((value[2] & 0xff) << 8) | (value[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
    byte[] addr = Arrays.copyOfRange(value, 4, value.length);
    byte[] mask = xorMask(transactionId);
    for (int i = 0; i < addr.length; i++) {
      addr[i] ^= mask[i];
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad XOR-MAPPED-ADDRESS", e);
    }
  }

  private static byte[] xorAddress(InetSocketAddress address, byte[] transactionId) {
    byte[] ip = address.getAddress().getAddress();
    byte[] mask = xorMask(transactionId);
    ByteBuffer v = ByteBuffer.allocate(4 + ip.length);
    v.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2)).putShort((short) (address.getPort() ^ (MAGIC_COOKIE >>> 16)));
    for (int i = 0; i < ip.length; i++) {
      v.put((byte) (ip[i] ^ mask[i]));
    }
    return v.array();
  }

  /** Magic cookie followed by the transaction id: IPv4 uses the first 4 bytes, IPv6 all 16. */
  private static byte[] xorMask(byte[] transactionId) {
    return ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
  }

  private static byte[] hmac(String password, byte[] data, int len) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      mac.update(data, 0, len);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 missing from the JDK", e);
    }
  }

  /** Appends attributes, then MESSAGE-INTEGRITY and FINGERPRINT, fixing the header length as each requires. */
  private static final class Builder {
    private final ByteBuffer b = ByteBuffer.allocate(1024);

    Builder(int type, byte[] transactionId) {
      b.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
    }

    Builder attribute(int type, byte[] value) {
      b.putShort((short) type).putShort((short) value.length).put(value);
      while (b.position() % 4 != 0) {
        b.put((byte) 0);
      }
      b.putShort(2, (short) (b.position() - HEADER));
      return this;
    }

    byte[] finish(String password) {
      int integrityAt = b.position();
      b.putShort(2, (short) (integrityAt - HEADER + 24));
      attribute(MESSAGE_INTEGRITY, hmac(password, b.array(), integrityAt));
      int fingerprintAt = b.position();
      b.putShort(2, (short) (fingerprintAt - HEADER + 8));
      CRC32 crc = new CRC32();
      crc.update(b.array(), 0, fingerprintAt);
      attribute(FINGERPRINT, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ FINGERPRINT_XOR).array());
      return Arrays.copyOf(b.array(), b.position());
    }
  }
}
