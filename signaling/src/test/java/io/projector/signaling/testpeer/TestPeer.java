package io.projector.signaling.testpeer;

import io.projector.loadtest.ice.IceChecks;
import io.projector.loadtest.ice.StunMessages;
import io.projector.loadtest.peer.LocalIdentity;
import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.dtls.DtlsRole;
import io.projector.sfu.dtls.DtlsTransport;
import io.projector.sfu.dtls.Fingerprint;
import io.projector.sfu.dtls.SrtpKeys;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.PacketType;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.srtp.SrtpDecoder;
import io.projector.sfu.srtp.SrtpEncoder;
import io.projector.sfu.srtp.SrtpPair;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A programmatic WebRTC peer for integration tests: what a browser does toward the SFU, without a browser.
 * It POSTs an offer made from a recorded Chrome offer (see {@link OfferAnswer}), then acts as ICE controlling
 * agent (aggressive nomination), DTLS client and SRTP endpoint over one plain {@link DatagramSocket} on
 * loopback. Crypto is sfu-core's own DTLS/SRTP code in the opposite role, so what is tested is the SFU's wire
 * behaviour; STUN is the load generator's hand-written codec ({@link IceChecks}) so the SFU's ICE stack is met from the outside.
 *
 * <p>Like a browser it keeps talking while connected: an empty RTCP receiver report every 200 ms (the SFU
 * counts media-plane traffic as the sign of life) and a STUN consent check every second.
 */
public final class TestPeer implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ExecutorService DTLS_THREADS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "testpeer-dtls");
    t.setDaemon(true);
    return t;
  });
  /** SRTP that arrives before our side of DTLS has finished (the SFU finishes first) is kept, up to this. */
  private static final int EARLY_PACKET_LIMIT = 64;

  private final DatagramSocket socket;
  private final OfferAnswer sdp;
  private final InetSocketAddress server;
  private final IceChecks ice;
  private final long rtcpSsrc = RANDOM.nextInt() & 0xffffffffL;
  private final DtlsTransport dtls;
  private final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
  private final ArrayDeque<byte[]> early = new ArrayDeque<>(); // receive thread only
  private final AtomicLong srtpFailures = new AtomicLong();
  private final Thread receiver;
  private final ScheduledExecutorService keepAlive;
  private volatile SrtpEncoder encoder;
  private volatile SrtpDecoder decoder; // used by the receive thread only
  private volatile boolean silenced;
  private volatile boolean closed;
  /** False: the server's binding requests (its checks, consent) go unanswered, as if our answers were lost. */
  private final boolean answersServerChecks;

  private TestPeer(DatagramSocket socket, OfferAnswer sdp, String localUfrag, String localPwd,
      DtlsCertificate certificate, boolean answersServerChecks) throws IOException {
    this.socket = socket;
    this.answersServerChecks = answersServerChecks;
    this.sdp = sdp;
    this.server = sdp.loopbackCandidate();
    this.ice = new IceChecks(localUfrag, localPwd, sdp.answer().effectiveIceUfrag(), sdp.answer().effectiveIcePwd(),
        true, (InetSocketAddress) socket.getLocalSocketAddress(), server, b -> sendTo(b, server));
    this.dtls = new DtlsTransport(DtlsRole.CLIENT, certificate,
        Fingerprint.parse(sdp.answer().effectiveFingerprint()), (b, off, len) -> send(b, off, len));
    this.receiver = new Thread(this::receiveLoop, "testpeer-rx-" + socket.getLocalPort());
    this.receiver.setDaemon(true);
    this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "testpeer-keepalive-" + socket.getLocalPort());
      t.setDaemon(true);
      return t;
    });
  }

  /** Connects with a certificate whose fingerprint the offer advertises truthfully. */
  public static TestPeer connect(String baseUrl, String path, String bearerOrNull, String offerTemplateResource)
      throws IOException, InterruptedException {
    return connect(baseUrl, path, bearerOrNull, offerTemplateResource, null);
  }

  /**
   * POSTs the offer to {@code path} ("/whip/ID" or "/whep/ID"), then runs ICE and DTLS to completion.
   *
   * @param advertised the certificate whose fingerprint goes into the offer; null = the one used in DTLS.
   *     A different one makes the peer lie about its identity, as a man in the middle would.
   * @throws IOException when the server refuses the offer, or ICE or DTLS fail (the peer is closed then)
   */
  public static TestPeer connect(String baseUrl, String path, String bearerOrNull, String offerTemplateResource,
      DtlsCertificate advertised) throws IOException, InterruptedException {
    return connect(baseUrl, path, bearerOrNull, offerTemplateResource, advertised, true);
  }

  /**
   * Connects without ever answering the server's binding requests: our checks (with USE-CANDIDATE) succeed and
   * DTLS starts, but the server's own check of the pair never does, as when our answers are lost on the way.
   */
  public static TestPeer connectWithoutAnsweringChecks(String baseUrl, String path, String offerTemplateResource)
      throws IOException, InterruptedException {
    return connect(baseUrl, path, null, offerTemplateResource, null, false);
  }

  private static TestPeer connect(String baseUrl, String path, String bearerOrNull, String offerTemplateResource,
      DtlsCertificate advertised, boolean answersServerChecks) throws IOException, InterruptedException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    TestPeer peer = null;
    try {
      DtlsCertificate certificate = DtlsCertificate.generate();
      String ufrag = LocalIdentity.iceChars(4);
      String pwd = LocalIdentity.iceChars(24);
      OfferAnswer sdp = OfferAnswer.exchange(baseUrl, path, bearerOrNull, offerTemplateResource, ufrag, pwd,
          (advertised == null ? certificate : advertised).fingerprint(), socket.getLocalPort());
      peer = new TestPeer(socket, sdp, ufrag, pwd, certificate, answersServerChecks);
      peer.establish();
      return peer;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (peer != null) {
        peer.close();
      }
      socket.close();
      throw e;
    }
  }

  /** ICE: a check every 50 ms until one succeeds; then the DTLS handshake; then SRTP and the keep-alive. */
  private void establish() throws IOException, InterruptedException {
    receiver.start();
    connectIce(5000);
    SrtpKeys keys;
    try {
      keys = dtls.start(DTLS_THREADS).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("DTLS handshake failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("DTLS handshake did not finish within 15 s", e);
    }
    SrtpPair pair = SrtpPair.from(keys);
    decoder = pair.decoder();
    encoder = pair.encoder();
    keepAlive.scheduleAtFixedRate(this::sendEmptyReceiverReport, 0, 200, TimeUnit.MILLISECONDS);
    keepAlive.scheduleAtFixedRate(ice::sendCheck, 1, 1, TimeUnit.SECONDS);
  }

  /** A nominating check every 50 ms until one succeeds (aggressive nomination, as Chrome). */
  private void connectIce(long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      ice.sendCheck();
      try {
        ice.connected().get(50, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        throw new IOException("ICE failed: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("no ICE success response from " + server + " within " + timeoutMs + " ms");
        }
      }
    }
  }

  /** Encrypts and sends one plain RTP packet; false once silenced or closed. */
  public boolean sendRtp(byte[] plain) {
    return protectAndSend(plain, false);
  }

  /** Encrypts and sends one plain (compound) RTCP packet; false once silenced or closed. */
  public boolean sendRtcp(byte[] plain) {
    return protectAndSend(plain, true);
  }

  /** Sends bytes as they are from this peer's socket: what an attacker spoofing our address could send. */
  public void sendRaw(byte[] bytes) {
    send(bytes, 0, bytes.length);
  }

  /** Decrypted RTP packets received from the SFU, in arrival order. */
  public BlockingQueue<byte[]> receivedRtp() {
    return rtp;
  }

  /** Decrypted compound RTCP datagrams received from the SFU, in arrival order. */
  public BlockingQueue<byte[]> receivedRtcp() {
    return rtcp;
  }

  /** Stops sending and answering anything, as a vanished browser would; the socket stays open. */
  public void silence() {
    silenced = true;
    keepAlive.shutdownNow();
  }

  public OfferAnswer sdp() {
    return sdp;
  }

  public long answerSsrc(MediaKind kind) {
    return sdp.answerSsrc(kind);
  }

  public long offerSsrc(MediaKind kind) {
    return sdp.offerSsrc(kind);
  }

  public int answerPayloadType(MediaKind kind, String codecName) {
    return sdp.answerPayloadType(kind, codecName);
  }

  public InetSocketAddress serverAddress() {
    return server;
  }

  public String serverUfrag() {
    return sdp.answer().effectiveIceUfrag();
  }

  /** Our SSRC in RTCP this peer originates (receiver reports, feedback). */
  public long rtcpSsrc() {
    return rtcpSsrc;
  }

  /** SRTP/SRTCP packets from the SFU that failed to authenticate or decrypt. */
  public long srtpFailures() {
    return srtpFailures.get();
  }

  /** STUN binding requests from the SFU this peer answered (triggered checks, consent). */
  public long stunRequestsAnswered() {
    return ice.requestsAnswered();
  }

  /** Sends close_notify (as a browser's pc.close() does, unless silenced), then frees socket and threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    CountDownLatch dtlsEnded = new CountDownLatch(1);
    dtls.onClosed(dtlsEnded::countDown);
    dtls.close();
    try {
      dtlsEnded.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    keepAlive.shutdownNow();
    socket.close();
    try {
      receiver.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean protectAndSend(byte[] plain, boolean isRtcp) {
    SrtpEncoder e = encoder;
    if (e == null || silenced || closed) {
      return false;
    }
    byte[] buf = Arrays.copyOf(plain, plain.length + SrtpEncoder.MAX_OVERHEAD);
    int len;
    synchronized (e) { // the encoder is single-threaded; tests and the keep-alive share it
      len = isRtcp ? e.protectRtcp(buf, 0, plain.length) : e.protectRtp(buf, 0, plain.length);
    }
    if (len < 0) {
      throw new IllegalArgumentException("could not protect the packet: not valid " + (isRtcp ? "RTCP" : "RTP"));
    }
    send(buf, 0, len);
    return true;
  }

  private void sendEmptyReceiverReport() {
    byte[] rr = new byte[8];
    rr[0] = (byte) 0x80;
    rr[1] = (byte) RtcpHeader.RR;
    Bytes.writeUint16(rr, 2, 1);
    Bytes.writeUint32(rr, 4, rtcpSsrc);
    sendRtcp(rr);
  }

  /** Sends to the SFU's candidate. Nothing goes out once silenced or closed. */
  private void send(byte[] b, int off, int len) {
    sendTo(Arrays.copyOfRange(b, off, off + len), server);
  }

  private void sendTo(byte[] b, InetSocketAddress to) {
    if (silenced || closed) {
      return;
    }
    try {
      socket.send(new DatagramPacket(b, b.length, to));
    } catch (IOException e) {
      // the socket was closed under us; a lost datagram is what UDP allows anyway
    }
  }

  private void receiveLoop() {
    byte[] buf = new byte[2048];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    try {
      socket.setSoTimeout(50); // wake up to work off packets that arrived before the SRTP keys
    } catch (IOException e) {
      return;
    }
    while (!closed) {
      while (decoder != null && !early.isEmpty()) {
        unprotect(early.poll());
      }
      try {
        packet.setLength(buf.length);
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return; // closed
      }
      if (!silenced) {
        onDatagram(Arrays.copyOf(buf, packet.getLength()), (InetSocketAddress) packet.getSocketAddress());
      }
    }
  }

  /** Demultiplexes as RFC 7983 says; anything else from the SFU is ignored. */
  private void onDatagram(byte[] b, InetSocketAddress from) {
    switch (PacketType.of(b, 0, b.length)) {
      case STUN -> {
        boolean request = b.length > 1 && ((b[0] & 0xff) << 8 | (b[1] & 0xff)) == StunMessages.BINDING_REQUEST;
        if (answersServerChecks || !request) {
          ice.onStun(b, b.length);
        }
      }
      case DTLS -> dtls.onPacket(b, 0, b.length);
      case RTP, RTCP -> {
        if (decoder != null) {
          unprotect(b);
        } else if (early.size() < EARLY_PACKET_LIMIT) {
          early.add(b);
        }
      }
      default -> { }
    }
  }

  private void unprotect(byte[] b) {
    boolean isRtcp = PacketType.of(b, 0, b.length) == PacketType.RTCP;
    int n = isRtcp ? decoder.unprotectRtcp(b, 0, b.length) : decoder.unprotectRtp(b, 0, b.length);
    if (n < 0) {
      srtpFailures.incrementAndGet();
    } else {
      (isRtcp ? rtcp : rtp).add(Arrays.copyOf(b, n));
    }
  }
}
