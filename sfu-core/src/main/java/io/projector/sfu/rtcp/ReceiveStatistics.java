package io.projector.sfu.rtcp;

/**
 * Reception statistics of one incoming RTP stream, as a receiver report needs them (RFC 3550 §6.4.1 and
 * Appendix A.3/A.8). Owned by the thread that receives the stream; time is passed in.
 */
public final class ReceiveStatistics {
  private final long ssrc;
  private final int clockRateHz;

  private boolean started;
  private int baseSeq;
  private int maxSeq;
  private long cycles;
  private long received;
  private long expectedPrior;
  private long receivedPrior;

  private double jitter;
  private long lastTransit;
  private boolean haveTransit;

  private long lastSrCompactNtp;
  private long lastSrArrivalMs = -1;

  public ReceiveStatistics(long ssrc, int clockRateHz) {
    this.ssrc = ssrc;
    this.clockRateHz = clockRateHz;
  }

  public long ssrc() {
    return ssrc;
  }

  /** Records a received packet (after SRTP authentication). */
  public void onPacket(int seq, long rtpTimestamp, long arrivalMs) {
    if (!started) {
      started = true;
      baseSeq = seq;
      maxSeq = seq;
    } else {
      int delta = (seq - maxSeq) & 0xffff;
      if (delta < 0x8000) {
        if (seq < maxSeq) {
          cycles += 0x10000;
        }
        maxSeq = seq;
      }
    }
    received++;
    long arrivalRtp = arrivalMs * clockRateHz / 1000;
    long transit = arrivalRtp - rtpTimestamp;
    if (haveTransit) {
      long d = Math.abs(transit - lastTransit);
      jitter += (d - jitter) / 16.0;
    }
    lastTransit = transit;
    haveTransit = true;
  }

  /** Records a sender report for this stream: its NTP time feeds LSR/DLSR. */
  public void onSenderReport(long ntpSeconds, long ntpFraction, long arrivalMs) {
    lastSrCompactNtp = ((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16);
    lastSrArrivalMs = arrivalMs;
  }

  public boolean hasPackets() {
    return started;
  }

  public long packetsReceived() {
    return received;
  }

  public long extendedHighestSeq() {
    return cycles + maxSeq;
  }

  /** Writes one report block and advances the "prior" counters used for the fraction lost. */
  public int writeReportBlock(byte[] buf, int pos, long nowMs) {
    long extendedMax = extendedHighestSeq();
    long expected = extendedMax - baseSeq + 1;
    long lost = Math.max(-0x800000, Math.min(0x7fffff, expected - received));
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = received - receivedPrior;
    expectedPrior = expected;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
    long dlsr = lastSrArrivalMs < 0 ? 0 : (nowMs - lastSrArrivalMs) * 65536 / 1000;
    return RtcpWriter.writeReportBlock(buf, pos, ssrc, Math.min(fraction, 255), (int) lost, extendedMax & 0xffffffffL,
        (long) jitter, lastSrArrivalMs < 0 ? 0 : lastSrCompactNtp, dlsr);
  }
}
