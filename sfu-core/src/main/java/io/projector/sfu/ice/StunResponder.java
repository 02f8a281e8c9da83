package io.projector.sfu.ice;

import io.projector.sfu.rtp.PacketType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

/**
 * Answers ICE connectivity checks for every peer on the media port, as an ICE-lite agent does (RFC 8445 §2.5):
 * a binding request whose USERNAME starts with one of our peers' ufrags and whose MESSAGE-INTEGRITY is keyed
 * with that peer's password gets a success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT).
 * Anything else is ignored, never answered: an unauthenticated answer would make us a reflector.
 *
 * <p>ice4j's STUN codec decodes and encodes; one {@link StunStack} per port serves only to key the
 * MESSAGE-INTEGRITY of responses (no socket is ever added to it, so it runs no thread). Checks are rare (a few
 * per peer at connection, then one every few seconds for consent), so allocating here is fine.
 */
final class StunResponder {
  static {
    Ice4jDefaults.apply();
  }

  /** A check that passed: whose it is, whether the browser nominated this path, and the encoded answer. */
  record Check(IceTransport transport, boolean useCandidate, byte[] response) {}

  private final StunStack stack = new StunStack();
  private final Function<String, IceTransport> byLocalUfrag;

  StunResponder(Function<String, IceTransport> byLocalUfrag) {
    this.byLocalUfrag = byLocalUfrag;
    stack.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
      @Override
      public byte[] getLocalKey(String username) {
        IceTransport t = byLocalUfrag.apply(localUfragOf(username));
        return t == null ? null : t.localPassword().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public byte[] getRemoteKey(String username, String media) {
        return null; // a lite agent sends no requests
      }

      @Override
      public boolean checkLocalUserName(String username) {
        return getLocalKey(username) != null;
      }
    });
  }

  /** Whether a datagram is STUN ({@link PacketType}, RFC 7983) with a whole header and the RFC 5389 magic cookie. */
  static boolean isStun(byte[] buf, int off, int len) {
    return len >= 20 && PacketType.of(buf, off, len) == PacketType.STUN && buf[off + 4] == 0x21
        && buf[off + 5] == 0x12 && buf[off + 6] == (byte) 0xa4 && buf[off + 7] == 0x42;
  }

  /**
   * Checks a STUN datagram that arrived from {@code from}; {@code buf} holds it from index 0.
   *
   * @return the passed check, or null for anything that is not an authentic binding request for a peer of ours
   */
  Check handle(byte[] buf, int len, InetSocketAddress from) {
    Message m;
    try {
      m = Message.decode(buf, 0, len);
    } catch (StunException | RuntimeException e) {
      return null;
    }
    if (m.getMessageType() != Message.BINDING_REQUEST
        || !(m.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute user)
        || !(m.getAttribute(Attribute.MESSAGE_INTEGRITY) instanceof MessageIntegrityAttribute integrity)) {
      return null;
    }
    String username = new String(user.getUsername(), StandardCharsets.UTF_8);
    int colon = username.indexOf(':');
    if (colon < 1) {
      return null;
    }
    IceTransport t = byLocalUfrag.apply(username.substring(0, colon));
    if (t == null || !t.isRemoteUfrag(username.substring(colon + 1))
        || !integrityMatches(buf, integrity, t.localPassword())) {
      return null;
    }
    Response r = MessageFactory.createBindingResponse((Request) m, new TransportAddress(from, Transport.UDP));
    try {
      r.setTransactionID(m.getTransactionID());
    } catch (StunException e) {
      return null;
    }
    r.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
    r.putAttribute(AttributeFactory.createFingerprintAttribute());
    return new Check(t, m.containsAttribute(Attribute.USE_CANDIDATE), r.encode(stack));
  }

  /**
   * A binding request as a browser sends it (USERNAME, MESSAGE-INTEGRITY keyed with {@code password},
   * FINGERPRINT), for the start-up warm-up; null if ice4j cannot encode it.
   */
  static byte[] bindingRequest(String username, String password) {
    StunStack client = new StunStack();
    byte[] key = password.getBytes(StandardCharsets.UTF_8);
    client.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
      @Override
      public byte[] getLocalKey(String user) {
        return key;
      }

      @Override
      public byte[] getRemoteKey(String user, String media) {
        return key;
      }

      @Override
      public boolean checkLocalUserName(String user) {
        return true;
      }
    });
    try {
      Request request = MessageFactory.createBindingRequest();
      request.setTransactionID(TransactionID.createNewTransactionID().getBytes());
      request.putAttribute(AttributeFactory.createUsernameAttribute(username));
      request.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
      request.putAttribute(AttributeFactory.createFingerprintAttribute());
      return request.encode(client);
    } catch (StunException | RuntimeException e) {
      return null;
    } finally {
      client.shutDown();
    }
  }

  /**
   * RFC 5389 §15.4: the HMAC covers the message up to MESSAGE-INTEGRITY, with the header's length field counting
   * the message only up to and including that attribute (a FINGERPRINT may follow it).
   */
  private static boolean integrityMatches(byte[] buf, MessageIntegrityAttribute integrity, String password) {
    int at = integrity.getLocationInMessage();
    if (at < 20) {
      return false;
    }
    byte[] covered = Arrays.copyOf(buf, at);
    int length = at - 20 + 24;
    covered[2] = (byte) (length >> 8);
    covered[3] = (byte) length;
    byte[] expected = MessageIntegrityAttribute.calculateHmacSha1(covered, 0, covered.length,
        password.getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(expected, integrity.getHmacSha1Content());
  }

  private static String localUfragOf(String username) {
    int colon = username.indexOf(':');
    return colon < 0 ? username : username.substring(0, colon);
  }
}
