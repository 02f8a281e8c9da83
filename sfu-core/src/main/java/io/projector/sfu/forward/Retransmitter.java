package io.projector.sfu.forward;

import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Rtx;
import java.util.Arrays;

/**
 * Answers one viewer's NACKs for one of its outbound streams from the source stream's shared {@link PacketCache}.
 * A resend is rewritten exactly like a normal forward (by the viewer's {@link ViewerStream}); if the viewer
 * negotiated RTX (RFC 4588) for the codec it is then wrapped as an RTX packet on the viewer's RTX SSRC, with the
 * original sequence number in the viewer's numbering, so the viewer can tell repairs from media and measure loss.
 *
 * <p>Two limits protect the viewer's link and the SFU's uplink from NACK storms: one packet is not resent twice
 * within max(rttMs / 2, minResendIntervalMs), since the first resend cannot have arrived yet and a repeated NACK
 * is just the viewer's own retry timer; and resends share a token bucket of maxBitrateBps with a burst of
 * burstMs, so a viewer on a lossy link cannot make the SFU send more repair than media.
 *
 * <p>Pure logic on byte arrays: the caller encrypts and sends what {@link #resend} writes. Owned by the
 * session's worker thread; nothing is allocated after construction.
 */
public final class Retransmitter {
  /** {@link #resend} result: not in the cache (evicted, too old, never sent to this viewer, another source). */
  public static final int MISS = -1;
  /** {@link #resend} result: resent too recently, or over the bitrate budget. */
  public static final int RATE_LIMITED = -2;

  private static final int HISTORY = 512; // power of two; as deep as the default cache

  /** What a resend needs from the viewer's outbound stream. {@link OutboundStream} has all but sourceSequence. */
  public interface ViewerStream {
    /** SSRC of the presenter stream currently feeding this viewer stream. */
    long sourceSsrc();

    /** The source sequence number of what this viewer received as viewerSeq, or -1 if not from the current source. */
    int sourceSequence(int viewerSeq);

    boolean accepts(int sourcePayloadType);

    /** Rewrites a source packet for this viewer into dst, as for a normal forward; -1 if it must not be sent. */
    int copyOut(byte[] src, int len, byte[] dst, boolean keyframeStart);
  }

  /**
   * @param maxBitrateBps   resend budget of one viewer stream
   * @param burstMs         how much unused budget may accumulate: a lost burst (part of a keyframe) is repaired at
   *                        once, up to this much of the budget
   * @param minResendIntervalMs floor of the per-packet interval when the RTT is small or unknown
   * @param maxPacketAgeMs  older packets are not resent: the viewer's jitter buffer has moved past them
   */
  public record Limits(long maxBitrateBps, long burstMs, long minResendIntervalMs, long maxPacketAgeMs) {
    public static final Limits DEFAULT = new Limits(2_000_000, 250, 20, 1000);

    public Limits {
      if (maxBitrateBps < 0 || burstMs < 0 || minResendIntervalMs < 0 || maxPacketAgeMs < 0) {
        throw new IllegalArgumentException("retransmission limits must not be negative");
      }
    }
  }

  private final Limits limits;
  private final byte[] source;
  private final int[] resentSeq = new int[HISTORY];
  private final long[] resentAtMs = new long[HISTORY];
  private final byte[] rtxPayloadTypes = new byte[128];

  private long maxBitrateBps;
  private double tokensBytes;
  private long refilledAtMs = Long.MIN_VALUE;
  private long rtxSsrc = -1;
  private int rtxSeq;

  private long nacksReceived;
  private long packetsResent;
  private long bytesResent;
  private long misses;
  private long rateLimited;

  public Retransmitter() {
    this(Limits.DEFAULT, PacketCache.DEFAULT_MAX_PACKET_LENGTH);
  }

  /** @param maxPacketLength the largest packet the caches this retransmitter reads from hold */
  public Retransmitter(Limits limits, int maxPacketLength) {
    this.limits = limits;
    this.maxBitrateBps = limits.maxBitrateBps();
    this.source = new byte[maxPacketLength];
    Arrays.fill(resentSeq, -1);
    Arrays.fill(rtxPayloadTypes, (byte) -1);
  }

  /**
   * Resends as RTX from now on, for the viewer payload types that have an RTX payload type (others go out as
   * plain retransmissions, which is what the viewer expects for a codec without RTX).
   *
   * @param rtxPayloadTypeByViewerPt index = the viewer's media payload type, value = its RTX payload type or -1
   * @param firstRtxSeq random start, like any RTP stream's (RFC 3550 §5.1)
   */
  public void enableRtx(int[] rtxPayloadTypeByViewerPt, long rtxSsrc, int firstRtxSeq) {
    for (int pt = 0; pt < 128; pt++) {
      int rtx = pt < rtxPayloadTypeByViewerPt.length ? rtxPayloadTypeByViewerPt[pt] : -1;
      rtxPayloadTypes[pt] = (byte) (rtx >= 0 && rtx < 128 ? rtx : -1);
    }
    this.rtxSsrc = rtxSsrc;
    this.rtxSeq = firstRtxSeq & 0xffff;
  }

  public void disableRtx() {
    rtxSsrc = -1;
  }

  /** Follows the viewer's bandwidth estimate; takes effect for the next resend. */
  public void setMaxBitrateBps(long maxBitrateBps) {
    this.maxBitrateBps = Math.max(0, maxBitrateBps);
  }

  /**
   * Answers one sequence number of the viewer's NACK, writing the packet to send into dst at offset 0.
   *
   * @param viewerSeq a sequence number the viewer asked for, in its own numbering
   * @param cache     the cache of the presenter stream that currently feeds {@code stream}
   * @param dst       needs room for the packet as forwarded plus {@link Rtx#OSN_LENGTH} (and the caller's SRTP
   *                  tail); the session's packet scratch buffer fits
   * @param rttMs     round-trip time to this viewer, or 0 when unknown
   * @return the length to encrypt and send, or {@link #MISS} or {@link #RATE_LIMITED} (each counted)
   */
  public int resend(int viewerSeq, PacketCache cache, ViewerStream stream, byte[] dst, long nowMs, long rttMs) {
    nacksReceived++;
    int seq = viewerSeq & 0xffff;
    int slot = seq & (HISTORY - 1);
    if (resentSeq[slot] == seq && nowMs - resentAtMs[slot] < Math.max(limits.minResendIntervalMs(), rttMs / 2)) {
      rateLimited++;
      return RATE_LIMITED;
    }
    int sourceSeq = stream.sourceSequence(seq);
    int len = sourceSeq < 0 ? -1 : cache.get(sourceSeq, source, 0, nowMs, limits.maxPacketAgeMs());
    // The SSRC check keeps a packet of an earlier source (a wrong cache passed after a presenter reconnect) from
    // reaching copyOut, which would take it for a source switch and rebase the viewer's numbering.
    if (len < 0 || RtpHeader.ssrc(source, 0) != stream.sourceSsrc()
        || !stream.accepts(RtpHeader.payloadType(source, 0)) || len + Rtx.OSN_LENGTH > dst.length) {
      misses++;
      return MISS;
    }
    if (!takeTokens(len, nowMs)) {
      rateLimited++;
      return RATE_LIMITED;
    }
    int outLen = stream.copyOut(source, len, dst, false);
    if (outLen >= 0 && rtxSsrc >= 0) {
      int rtxPt = rtxPayloadTypes[RtpHeader.payloadType(dst, 0)];
      if (rtxPt >= 0) {
        outLen = Rtx.wrap(dst, 0, outLen, dst, 0, rtxPt, rtxSsrc, rtxSeq);
        if (outLen >= 0) {
          rtxSeq = (rtxSeq + 1) & 0xffff;
        }
      }
    }
    if (outLen < 0) {
      tokensBytes += len; // nothing goes out: give the budget back
      misses++;
      return MISS;
    }
    resentSeq[slot] = seq;
    resentAtMs[slot] = nowMs;
    packetsResent++;
    bytesResent += outLen;
    return outLen;
  }

  /** Token bucket: refills at maxBitrateBps, holds at most burstMs of it (never less than one full packet). */
  private boolean takeTokens(int bytes, long nowMs) {
    double capacity = Math.max(maxBitrateBps * limits.burstMs() / 8000.0, source.length);
    if (refilledAtMs == Long.MIN_VALUE) {
      tokensBytes = capacity;
    } else if (nowMs > refilledAtMs) {
      tokensBytes = Math.min(capacity, tokensBytes + (nowMs - refilledAtMs) * maxBitrateBps / 8000.0);
    }
    refilledAtMs = Math.max(refilledAtMs, nowMs);
    if (tokensBytes < bytes) {
      return false;
    }
    tokensBytes -= bytes;
    return true;
  }

  public boolean rtxEnabled() {
    return rtxSsrc >= 0;
  }

  /** The sequence number the next RTX packet will carry. */
  public int nextRtxSequence() {
    return rtxSeq;
  }

  /** Sequence numbers asked for (each PID and each BLP bit of a NACK counts one). */
  public long nacksReceived() {
    return nacksReceived;
  }

  public long packetsResent() {
    return packetsResent;
  }

  public long bytesResent() {
    return bytesResent;
  }

  public long misses() {
    return misses;
  }

  public long rateLimited() {
    return rateLimited;
  }
}
