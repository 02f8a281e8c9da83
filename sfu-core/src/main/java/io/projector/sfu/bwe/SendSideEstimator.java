package io.projector.sfu.bwe;

/**
 * Estimates how much the SFU can send to one viewer, from the viewer's transport-cc feedback on the packets
 * the SFU sent it (and/or the viewer's REMB). A pragmatic, GCC-like estimator, not a full GCC: no Kalman or
 * trendline filter, no adaptive threshold, no probing; it aims to be predictable and hard to fool.
 *
 * <p>Inputs: {@link #onPacketSent} for every packet stamped with our transport-wide sequence number (kept in
 * a ring of {@link #HISTORY} entries), {@link #onTransportFeedback} for each feedback packet. From the
 * feedback it derives
 * <ul>
 *   <li>the delivered rate: bytes acknowledged per second over the last second of receiver time
 *       ({@link DeliveryRate});</li>
 *   <li>the loss fraction: packets reported lost over packets reported, per window of at least 20 packets
 *       and 500 ms (or 100 packets), so that a single lost packet at a low rate is not 10% loss;</li>
 *   <li>the queuing delay and its growth per 100 ms ({@link QueueDelayTracker}) from the smallest one-way
 *       delay of each feedback.</li>
 * </ul>
 *
 * <p>After each feedback, in this order:
 * <ol>
 *   <li>loss over 10% (in a window that just closed): estimate × (1 − 0.5 · loss);</li>
 *   <li>queue growing by more than 2 ms per 100 ms while over 10 ms: decrease to 0.85 × the rate delivered
 *       over the last 300 ms (what the saturated bottleneck passes; repeated decreases during the feedback
 *       lag then converge instead of compounding), never increasing, at most every 300 ms; a rising but
 *       still short queue only holds the estimate;</li>
 *   <li>otherwise, if loss is under 2%, the queue under 30 ms and no decrease in the last 300 ms: grow by
 *       8% per second of elapsed time, but not past 1.5 × the delivered rate (an estimate far above what was
 *       actually sent is untested) — between 2% and 10% loss the estimate holds, as in GCC;</li>
 *   <li>clamp to [min, max].</li>
 * </ol>
 * With REMB as well, {@link #estimateBps} is the lower of the two; REMB alone is used as is. Owned by the
 * session's worker thread; allocates nothing per packet.
 */
public final class SendSideEstimator {
  public static final long DEFAULT_INITIAL_BPS = 1_000_000;
  public static final long DEFAULT_MIN_BPS = 100_000;
  public static final long DEFAULT_MAX_BPS = 20_000_000;
  /** Sent packets remembered; feedback for older ones is ignored (about 4 s at 1000 packets/s). */
  static final int HISTORY = 4096;
  static final double LOSS_DECREASE_FRACTION = 0.10;
  static final double LOSS_HOLD_FRACTION = 0.02;
  static final long QUEUE_RISE_US = 2_000;
  static final long OVERUSE_QUEUE_US = 10_000;
  static final long HOLD_QUEUE_US = 30_000;
  static final double DELAY_DECREASE_FACTOR = 0.85;
  /** The delivered rate a delay-based decrease starts from: the last 300 ms, when the queue was growing. */
  static final int RECENT_DELIVERY_BUCKETS = 3;
  static final long DECREASE_INTERVAL_US = 300_000;
  static final double INCREASE_PER_SECOND = 1.08;
  static final double DELIVERED_HEADROOM = 1.5;
  /** With transport-cc feedback flowing, a REMB older than this no longer caps the estimate. */
  static final long REMB_MAX_AGE_US = 5_000_000;
  private static final int LOSS_MIN_PACKETS = 20;
  private static final int LOSS_MAX_PACKETS = 100;
  private static final long LOSS_WINDOW_US = 500_000;
  private static final int MASK = HISTORY - 1;
  private static final byte UNACKED = 0;
  private static final byte LOST = 1;
  private static final byte RECEIVED = 2;
  private static final long NONE = Long.MIN_VALUE;

  private final long minBps;
  private final long maxBps;
  private final int[] sentSeq = new int[HISTORY];
  private final long[] sentUs = new long[HISTORY];
  private final int[] sentBytes = new int[HISTORY];
  private final byte[] ackState = new byte[HISTORY];
  private final DeliveryRate delivered = new DeliveryRate();
  private final QueueDelayTracker queue = new QueueDelayTracker();
  private final FeedbackSink sink = new FeedbackSink();

  private double ccBps;
  private boolean feedbackSeen;
  private long lastUpdateUs = NONE;
  private long lastDecreaseUs = NONE;
  private int lossLost;
  private int lossTotal;
  private long lossWindowStartUs = NONE;
  private double lossFraction;
  private long rembBps = -1;
  private long rembUs = NONE;
  private long unknownPackets;
  private long malformedFeedback;

  public SendSideEstimator() {
    this(DEFAULT_INITIAL_BPS, DEFAULT_MIN_BPS, DEFAULT_MAX_BPS);
  }

  public SendSideEstimator(long initialBps, long minBps, long maxBps) {
    if (minBps <= 0 || minBps > maxBps || initialBps < minBps || initialBps > maxBps) {
      throw new IllegalArgumentException("need 0 < min <= initial <= max");
    }
    this.minBps = minBps;
    this.maxBps = maxBps;
    this.ccBps = initialBps;
    java.util.Arrays.fill(sentSeq, -1);
  }

  /** Records a packet we sent with transport-wide sequence number {@code transportSeq}. */
  public void onPacketSent(int transportSeq, int sizeBytes, long sendUs) {
    int seq = transportSeq & 0xffff;
    int slot = seq & MASK;
    sentSeq[slot] = seq;
    sentUs[slot] = sendUs;
    sentBytes[slot] = sizeBytes;
    ackState[slot] = UNACKED;
  }

  /**
   * Feeds one transport-cc feedback packet (the RTCP packet at off; len = bytes available) and updates the
   * estimate.
   *
   * @return false when the packet is not a valid transport-cc feedback (counted, estimate untouched)
   */
  public boolean onTransportFeedback(byte[] buf, int off, int len, long nowUs) {
    sink.minDelayUs = NONE;
    if (!TransportCcParser.parse(buf, off, len, sink)) {
      malformedFeedback++;
      return false;
    }
    feedbackSeen = true;
    if (sink.minDelayUs != NONE) {
      queue.onSample(sink.minDelayUs, nowUs);
    }
    update(nowUs);
    return true;
  }

  /** Feeds a REMB value from this viewer. */
  public void onRemb(long bps, long nowUs) {
    if (bps >= 0) {
      rembBps = bps;
      rembUs = nowUs;
    }
  }

  /** The current estimate in bits per second. */
  public long estimateBps(long nowUs) {
    long cc = (long) ccBps;
    if (rembUs == NONE) {
      return cc;
    }
    long remb = Math.max(minBps, Math.min(maxBps, rembBps));
    if (!feedbackSeen) {
      return remb;
    }
    return nowUs - rembUs <= REMB_MAX_AGE_US ? Math.min(cc, remb) : cc;
  }

  private void update(long nowUs) {
    long elapsedUs = lastUpdateUs == NONE ? 0 : Math.max(0, Math.min(1_000_000, nowUs - lastUpdateUs));
    lastUpdateUs = nowUs;
    boolean lossWindowClosed = closeLossWindow(nowUs);
    long deliveredBps = delivered.bps();
    boolean decreasedRecently = lastDecreaseUs != NONE && nowUs - lastDecreaseUs < DECREASE_INTERVAL_US;
    long rise = queue.riseUsPer100Ms();
    if (lossWindowClosed && lossFraction > LOSS_DECREASE_FRACTION) {
      ccBps *= 1 - 0.5 * lossFraction;
      lastDecreaseUs = nowUs;
    } else if (rise > QUEUE_RISE_US) {
      if (queue.queueUs() > OVERUSE_QUEUE_US && !decreasedRecently) {
        // Relative to what the saturated bottleneck just delivered, not to the estimate: the delay signal
        // lags by the queue itself, and decreases relative to the estimate would compound during that lag.
        long recentBps = delivered.bps(RECENT_DELIVERY_BUCKETS);
        ccBps = Math.min(ccBps, DELAY_DECREASE_FACTOR * (recentBps > 0 ? recentBps : ccBps));
        lastDecreaseUs = nowUs;
      } // else hold: the queue is starting to grow, do not push it further
    } else if (lossFraction < LOSS_HOLD_FRACTION && queue.queueUs() < HOLD_QUEUE_US && !decreasedRecently) {
      double cap = deliveredBps > 0 ? DELIVERED_HEADROOM * deliveredBps : Double.MAX_VALUE;
      if (ccBps < cap) {
        ccBps = Math.min(cap, ccBps * Math.pow(INCREASE_PER_SECOND, elapsedUs / 1e6));
      }
    }
    ccBps = Math.max(minBps, Math.min(maxBps, ccBps));
  }

  /** Closes the loss window when it holds enough packets; returns whether it did. */
  private boolean closeLossWindow(long nowUs) {
    if (lossWindowStartUs == NONE) {
      lossWindowStartUs = nowUs;
    }
    boolean enough = lossTotal >= LOSS_MAX_PACKETS
        || (lossTotal >= LOSS_MIN_PACKETS && nowUs - lossWindowStartUs >= LOSS_WINDOW_US);
    if (!enough) {
      return false;
    }
    lossFraction = (double) lossLost / lossTotal;
    lossLost = 0;
    lossTotal = 0;
    lossWindowStartUs = nowUs;
    return true;
  }

  /** Parser callbacks: per-packet accounting against the sent history. */
  private final class FeedbackSink implements TransportCcParser.Listener {
    private long referenceTicks = NONE;
    private long arrivalOffsetUs;
    long minDelayUs;

    @Override
    public void onFeedbackHeader(long senderSsrc, long mediaSsrc, int baseSeq, int statusCount,
        int referenceTime, int feedbackCount) {
      // Arrival times must be continuous across the 24-bit reference time wrap for delays and buckets.
      referenceTicks = TransportCcParser.unwrapReferenceTime(referenceTicks, referenceTime);
      arrivalOffsetUs = (referenceTicks - referenceTime) * TransportCcParser.REFERENCE_TIME_UNIT_US;
    }

    @Override
    public void onPacketStatus(int transportSeq, boolean received, long arrivalUs) {
      int slot = transportSeq & MASK;
      if (sentSeq[slot] != transportSeq) {
        unknownPackets++; // not sent by us, or too long ago
        return;
      }
      byte state = ackState[slot];
      if (state == RECEIVED || (state == LOST && !received)) {
        return; // already counted
      }
      if (!received) {
        ackState[slot] = LOST;
        lossLost++;
        lossTotal++;
        return;
      }
      if (state == LOST) {
        lossLost = Math.max(0, lossLost - 1); // reported late after all
      } else {
        lossTotal++;
      }
      ackState[slot] = RECEIVED;
      long arrival = arrivalUs + arrivalOffsetUs;
      delivered.add(arrival, sentBytes[slot]);
      long delayUs = arrival - sentUs[slot];
      minDelayUs = minDelayUs == NONE ? delayUs : Math.min(minDelayUs, delayUs);
    }
  }

  /** Loss fraction of the last closed loss window (0..1). */
  public double lossFraction() {
    return lossFraction;
  }

  /** Smoothed queuing delay above the path's recent minimum. */
  public long queueDelayUs() {
    return queue.queueUs();
  }

  /** Delivered rate over the last second, or -1 before feedback covered a full 100 ms. */
  public long deliveredBps() {
    return delivered.bps();
  }

  /** Feedback statuses for sequence numbers we have no record of sending. */
  public long unknownPackets() {
    return unknownPackets;
  }

  public long malformedFeedback() {
    return malformedFeedback;
  }
}
