package io.projector.loadtest.presenter;

import io.projector.loadtest.measure.SendStamp;
import io.projector.loadtest.media.Vp8Clip;
import io.projector.loadtest.media.Vp8Packetizer;
import io.projector.loadtest.peer.LocalSdp;
import io.projector.loadtest.peer.PeerConnection;
import io.projector.sfu.rtcp.Nack;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.Rtx;
import io.projector.sfu.srtp.SrtpEncoder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The synthetic presenter: sends a recorded VP8 clip in a loop as Chrome would send a screen share: RTP with a
 * transport-wide sequence number, frames paced at the rate that gives the requested bitrate, every packet
 * {@link SendStamp stamped} in its padding. It answers the server as a browser does: NACKed packets are resent
 * over RTX from a cache of the last {@value #CACHE_SIZE}, a PLI or FIR restarts the clip at its keyframe (at most
 * every {@value #MIN_KEYFRAME_INTERVAL_MS} ms). Like Chrome's screen share it sends keyframes only when asked: after
 * the last frame the clip continues at its second frame (the bitstream stays well-formed; a decoder would show
 * drift until the next keyframe, which the SFU does not care about).
 */
public final class SyntheticPresenter implements PeerConnection.Media, AutoCloseable {
  static final int CACHE_SIZE = 1024;
  /** RTP payload budget per packet: 1200-byte packets on the wire, as libwebrtc sizes them. */
  static final int MAX_PAYLOAD_BYTES = 1200 - 12 - 8 - SendStamp.LENGTH - SrtpEncoder.MAX_OVERHEAD;
  private static final int BUFFER_BYTES = 1500;
  /** libwebrtc's pacer sends at 2.5 times the target bitrate: a keyframe leaves over tens of ms, not at once. */
  static final double PACING_FACTOR = 2.5;
  /** Like libwebrtc's encoder feedback: keyframe requests within this time of the last one are ignored. */
  static final long MIN_KEYFRAME_INTERVAL_MS = 300;

  private final Vp8Clip clip;
  private final Vp8Packetizer packetizer = new Vp8Packetizer(MAX_PAYLOAD_BYTES);
  private final long frameIntervalNs;
  private final double pacingNsPerByte;
  private final double ticksPerFrame;
  private final long ssrc = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
  private final long rtxSsrc = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
  private final byte[][] cache = new byte[CACHE_SIZE][BUFFER_BYTES];
  private final int[] cacheLength = new int[CACHE_SIZE];
  private final int[] cacheSeq = new int[CACHE_SIZE];
  private final byte[] work = new byte[BUFFER_BYTES + SrtpEncoder.MAX_OVERHEAD];
  private final byte[] rtxWork = new byte[BUFFER_BYTES + SrtpEncoder.MAX_OVERHEAD];
  private final int[] nackedSeqs = new int[Nack.MAX_LENGTH];
  private final AtomicLong packetsSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong retransmissions = new AtomicLong();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private PeerConnection connection;
  private int rtxPayloadType = -1;
  private volatile boolean keyframeRequested;
  private volatile boolean running;
  private Thread thread;
  // owned by the sending thread, read under the lock by retransmissions
  private int seq = ThreadLocalRandom.current().nextInt(0x10000);
  private int rtxSeq = ThreadLocalRandom.current().nextInt(0x10000);
  private int transportSeq;
  private long timestamp = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
  private double timestampFraction;
  private int pictureId = ThreadLocalRandom.current().nextInt(0x8000);
  private int frameIndex;
  private long lastRequestedKeyframeNs = System.nanoTime() - 1_000_000_000L;
  private long packetIndex;

  /**
   * Sends {@code clip} at {@code bitrateKbps} by choosing its frame rate (the clip's bytes per frame are fixed);
   * the rate counts the frames between keyframes, since keyframes come only on request.
   */
  public SyntheticPresenter(Vp8Clip clip, int bitrateKbps) {
    this.clip = clip;
    double bitsPerFrame = deltaFrameBits(clip);
    double framesPerSecond = bitrateKbps * 1000.0 / bitsPerFrame;
    this.frameIntervalNs = (long) (1e9 / framesPerSecond);
    this.ticksPerFrame = 90000.0 / framesPerSecond;
    this.pacingNsPerByte = 8e9 / (PACING_FACTOR * bitrateKbps * 1000.0);
  }

  /** Average size of the frames sent between keyframes (all but the first), in bits. */
  static double deltaFrameBits(Vp8Clip clip) {
    if (clip.frameCount() < 2) {
      return clip.frame(0).length * 8.0;
    }
    long bytes = 0;
    for (int i = 1; i < clip.frameCount(); i++) {
      bytes += clip.frame(i).length;
    }
    return bytes * 8.0 / (clip.frameCount() - 1);
  }

  public String offer(LocalSdp sdp) {
    return sdp.presenterOffer(ssrc, rtxSsrc);
  }

  /** Starts sending on its own thread once the transport is ready. */
  public synchronized void start(PeerConnection connection, int rtxPayloadType) {
    this.connection = connection;
    this.rtxPayloadType = rtxPayloadType;
    running = true;
    thread = new Thread(this::run, "loadtest-presenter");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.setUncaughtExceptionHandler((t, e) -> {
      running = false;
      System.err.println("the synthetic presenter stopped: " + e);
      e.printStackTrace();
    });
    thread.start();
  }

  public double framesPerSecond() {
    return 1e9 / frameIntervalNs;
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // pacing, not synchronisation: the clock decides when a frame is due
        continue;
      }
      sendFrame();
      next += frameIntervalNs;
      if (System.nanoTime() - next > 1_000_000_000L) {
        next = System.nanoTime(); // the machine stalled for a second: do not burst to catch up
      }
    }
  }

  /** Sends one frame's packets, each when the pacer allows it (the first at once). */
  private void sendFrame() {
    byte[] frame;
    int packets;
    synchronized (this) {
      long now = System.nanoTime();
      if (keyframeRequested && now - lastRequestedKeyframeNs >= MIN_KEYFRAME_INTERVAL_MS * 1_000_000) {
        frameIndex = 0;
        lastRequestedKeyframeNs = now;
      }
      keyframeRequested = false;
      frame = clip.frame(frameIndex);
      packets = packetizer.packetCount(frame.length);
    }
    long dueNs = System.nanoTime();
    for (int i = 0; i < packets && running; i++) {
      long wait = dueNs - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // pacing, as above
      }
      dueNs += (long) (sendPacket(frame, i, packets) * pacingNsPerByte);
    }
    synchronized (this) {
      frameIndex = frameIndex + 1 < clip.frameCount() ? frameIndex + 1 : Math.min(1, clip.frameCount() - 1);
      pictureId = (pictureId + 1) & 0x7fff;
      timestampFraction += ticksPerFrame;
      long whole = (long) timestampFraction;
      timestampFraction -= whole;
      timestamp = (timestamp + whole) & 0xffffffffL;
    }
  }

  /** Builds, caches, stamps, encrypts and sends packet {@code i} of the frame; returns its length. */
  private synchronized int sendPacket(byte[] frame, int i, int packets) {
    int slot = seq & (CACHE_SIZE - 1);
    byte[] p = cache[slot];
    int len = writeHeader(p, i == packets - 1);
    len += packetizer.writePayload(frame, i, packets, pictureId, p, len);
    len = SendStamp.append(p, 0, len, packetIndex++, System.nanoTime());
    cacheLength[slot] = len;
    cacheSeq[slot] = seq;
    System.arraycopy(p, 0, work, 0, len);
    if (connection.protectAndSend(work, len, false)) {
      packetsSent.incrementAndGet();
      bytesSent.addAndGet(len);
    }
    seq = (seq + 1) & 0xffff;
    return len;
  }

  /** RTP header with the one-byte-header extension block carrying the transport-wide sequence number. */
  private int writeHeader(byte[] p, boolean marker) {
    p[0] = (byte) 0x90; // V=2, X=1
    p[1] = (byte) ((marker ? 0x80 : 0) | LocalSdp.VP8_PT);
    Bytes.writeUint16(p, 2, seq);
    Bytes.writeUint32(p, 4, timestamp);
    Bytes.writeUint32(p, 8, ssrc);
    p[12] = (byte) 0xbe;
    p[13] = (byte) 0xde;
    Bytes.writeUint16(p, 14, 1);
    p[16] = (byte) ((LocalSdp.TRANSPORT_CC_ID << 4) | 1);
    Bytes.writeUint16(p, 17, transportSeq);
    p[19] = 0;
    transportSeq = (transportSeq + 1) & 0xffff;
    return 20;
  }

  @Override
  public void onSrtp(PeerConnection from, byte[] buf, int length, boolean rtcp, long nowNs) {
    if (!rtcp) {
      return;
    }
    int n = from.decoder().unprotectRtcp(buf, 0, length);
    for (int pos = 0; n > 0 && pos + 4 <= n; ) {
      int packetLength = RtcpHeader.packetLength(buf, pos, n);
      if (packetLength <= 0) {
        return;
      }
      int type = RtcpHeader.packetType(buf, pos);
      int fmt = RtcpHeader.countOrFormat(buf, pos);
      if (type == RtcpHeader.PSFB && (fmt == RtcpHeader.FMT_PLI || fmt == RtcpHeader.FMT_FIR)) {
        keyframeRequests.incrementAndGet();
        keyframeRequested = true;
      } else if (Nack.isNack(buf, pos)) {
        int count = Nack.parse(buf, pos, packetLength, nackedSeqs);
        for (int i = 0; i < count; i++) {
          retransmit(nackedSeqs[i]);
        }
      }
      pos += packetLength;
    }
  }

  private synchronized void retransmit(int nackedSeq) {
    int slot = nackedSeq & (CACHE_SIZE - 1);
    if (rtxPayloadType < 0 || cacheSeq[slot] != nackedSeq || cacheLength[slot] == 0) {
      return;
    }
    int len = Rtx.wrap(cache[slot], 0, cacheLength[slot], rtxWork, 0, rtxPayloadType, rtxSsrc, rtxSeq);
    if (len > 0 && connection.protectAndSend(rtxWork, len, false)) {
      rtxSeq = (rtxSeq + 1) & 0xffff;
      retransmissions.incrementAndGet();
    }
  }

  public long packetsSent() {
    return packetsSent.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  public long retransmissions() {
    return retransmissions.get();
  }

  public long keyframeRequests() {
    return keyframeRequests.get();
  }

  /** The presenter's packet index of the next packet (every packet before it has been sent). */
  public synchronized long nextPacketIndex() {
    return packetIndex;
  }

  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
