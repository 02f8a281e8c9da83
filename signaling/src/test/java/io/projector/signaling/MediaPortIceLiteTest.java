package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.loadtest.ice.StunMessages;
import io.projector.sfu.MediaCounters;
import io.projector.sfu.ice.IceTransport;
import io.projector.sfu.ice.MediaPort;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media port's ICE-lite agent, met from the outside over real loopback sockets with a STUN encoder written
 * independently of the server's (the load generator's): which checks it answers, which datagrams it lets
 * through, and where it sends.
 */
@Timeout(20)
class MediaPortIceLiteTest {
  private static final String BROWSER_UFRAG = "brws";
  private final Random random = new Random(7);
  private final MediaCounters counters = new MediaCounters();
  private final List<DatagramSocket> clients = new ArrayList<>();
  private MediaPort port;
  private InetSocketAddress portAddress;

  @BeforeEach
  void open() throws Exception {
    port = MediaPort.open(List.of(InetAddress.getLoopbackAddress()), 0, counters);
    portAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port());
  }

  @AfterEach
  void close() {
    clients.forEach(DatagramSocket::close);
    port.close();
  }

  private DatagramSocket client() throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    s.setSoTimeout(5000);
    clients.add(s);
    return s;
  }

  private record Peer(IceTransport ice, LinkedBlockingQueue<String> received, List<IceTransport.IceState> states) {}

  private Peer peer() {
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    IceTransport ice = new IceTransport(port, (buf, off, len, now) ->
        received.add(new String(buf, off, len, StandardCharsets.ISO_8859_1)));
    List<IceTransport.IceState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    ice.onStateChange(states::add);
    ice.start(BROWSER_UFRAG);
    return new Peer(ice, received, states);
  }

  private byte[] check(String username, String password, boolean useCandidate, byte[] transactionId) {
    return StunMessages.bindingRequest(transactionId, username, 2122260223L, random.nextLong(), useCandidate,
        password);
  }

  private byte[] check(Peer p, boolean useCandidate, byte[] transactionId) {
    return check(p.ice().localUfrag() + ":" + BROWSER_UFRAG, p.ice().localPassword(), useCandidate,
        transactionId);
  }

  private void send(DatagramSocket from, byte[] datagram) throws Exception {
    from.send(new DatagramPacket(datagram, datagram.length, portAddress));
  }

  private StunMessages.Parsed receiveStun(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1500];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    StunMessages.Parsed parsed = StunMessages.parse(buf, p.getLength());
    assertNotNull(parsed, "a STUN message");
    return parsed;
  }

  private String receiveText(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1500];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
  }

  /** Sends a check from {@code from} and returns the answer it got. */
  private StunMessages.Parsed checkAnswered(Peer p, DatagramSocket from, boolean useCandidate) throws Exception {
    send(from, check(p, useCandidate, StunMessages.newTransactionId(random)));
    return receiveStun(from);
  }

  /** The SFU sends {@code text} to the peer's browser; returns what arrived at {@code at}. */
  private String sentTo(Peer p, String text, DatagramSocket at) throws Exception {
    byte[] reply = media(text);
    assertTrue(p.ice().send(reply, 0, reply.length));
    return receiveText(at);
  }

  /** Not STUN, DTLS, RTP or RTCP by its first byte (RFC 7983): any non-STUN datagram is routed the same way. */
  private static byte[] media(String text) {
    return ("\u0080" + text).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void anAuthenticCheckIsAnsweredWithTheSendersAddressAndOurIntegrity() throws Exception {
    Peer p = peer();
    DatagramSocket browser = client();
    byte[] id = StunMessages.newTransactionId(random);
    send(browser, check(p, false, id));
    StunMessages.Parsed answer = receiveStun(browser);
    assertEquals(StunMessages.BINDING_SUCCESS, answer.type());
    assertArrayEquals(id, answer.transactionId());
    assertTrue(answer.integrityMatches(p.ice().localPassword()), "MESSAGE-INTEGRITY keyed with our password");
    assertNotNull(answer.attribute(StunMessages.FINGERPRINT));
    assertNull(answer.attribute(0x8022), "no SOFTWARE attribute naming the server");
    assertEquals(browser.getLocalSocketAddress(),
        StunMessages.xorMappedAddress(answer.attribute(StunMessages.XOR_MAPPED_ADDRESS), id));
    assertEquals(List.of(), p.states(), "a check alone, without nomination or media, selects nothing");
    assertNull(p.ice().selectedRemote());
  }

  @Test
  void checksWithWrongCredentialsAreNeverAnswered() throws Exception {
    Peer p = peer();
    DatagramSocket browser = client();
    String ourUfrag = p.ice().localUfrag();
    send(browser, check(ourUfrag + ":" + BROWSER_UFRAG, "wrongPassword0123456789xx", true,
        StunMessages.newTransactionId(random)));
    send(browser, check(ourUfrag + ":someoneElse", p.ice().localPassword(), true,
        StunMessages.newTransactionId(random)));
    send(browser, check("unknownUfrag:" + BROWSER_UFRAG, p.ice().localPassword(), true,
        StunMessages.newTransactionId(random)));
    byte[] truncated = new byte[20]; // a binding request header announcing 40 bytes of attributes, then nothing
    System.arraycopy(new byte[] {0, 1, 0, 40, 0x21, 0x12, (byte) 0xa4, 0x42}, 0, truncated, 0, 8);
    send(browser, truncated);
    byte[] good = StunMessages.newTransactionId(random);
    send(browser, check(p, false, good));
    // Datagrams on one loopback path arrive in order: the first answer must be the one to the good check.
    assertArrayEquals(good, receiveStun(browser).transactionId());
    assertEquals(4, counters.iceChecksRejected.sum());
    assertEquals(List.of(), p.states());
  }

  @Test
  void mediaPassesOnlyFromAddressesThatCheckedAndRepliesGoWhereTheBrowserNominated() throws Exception {
    Peer p = peer();
    DatagramSocket stranger = client();
    DatagramSocket browser = client();
    send(stranger, media("from a stranger"));
    send(browser, media("before any check"));
    checkAnswered(p, browser, true);
    send(browser, media("after the check"));
    assertEquals("\u0080after the check", p.received().poll(5, TimeUnit.SECONDS));
    assertEquals(2, counters.datagramsFromUnknownSources.sum());
    assertEquals(List.of(IceTransport.IceState.CONNECTED), p.states());
    assertEquals("127.0.0.1:" + browser.getLocalPort(), p.ice().selectedRemote());
    assertEquals("\u0080to the browser", sentTo(p, "to the browser", browser));
    byte[] reply = media("to the browser");
    p.ice().sendDtls(reply, 0, reply.length);
    assertEquals("\u0080to the browser", receiveText(browser));
  }

  @Test
  void repliesFollowTheBrowserWhenItsMediaMovesToAnotherCheckedPath() throws Exception {
    Peer p = peer();
    DatagramSocket first = client();
    DatagramSocket second = client();
    checkAnswered(p, second, false);
    checkAnswered(p, first, true);
    assertEquals("\u0080one", sentTo(p, "one", first), "the nominated path");
    send(second, media("moved"));
    assertEquals("\u0080moved", p.received().poll(5, TimeUnit.SECONDS));
    assertEquals("\u0080two", sentTo(p, "two", second), "where the browser's media now comes from");
    assertEquals(List.of(IceTransport.IceState.CONNECTED), p.states(), "connected once");
  }

  @Test
  void aClosedPeerIsForgottenAndItsAddressesNoLongerRouted() throws Exception {
    Peer closed = peer();
    Peer open = peer();
    DatagramSocket browser = client();
    checkAnswered(closed, browser, true);
    closed.ice().close();
    send(browser, check(closed, true, StunMessages.newTransactionId(random)));
    send(browser, media("to the closed peer"));
    byte[] id = StunMessages.newTransactionId(random);
    send(browser, check(open, true, id));
    assertArrayEquals(id, receiveStun(browser).transactionId(), "the closed peer's check went unanswered");
    send(browser, media("to the open peer"));
    assertEquals("\u0080to the open peer", open.received().poll(5, TimeUnit.SECONDS));
    assertTrue(closed.received().isEmpty());
    byte[] reply = media("x");
    assertTrue(!closed.ice().send(reply, 0, reply.length), "a closed peer sends nothing");
  }
}
