package io.projector.sfu.bwe;

import java.util.ArrayDeque;
import java.util.Random;

/**
 * A sender that follows a {@link SendSideEstimator}, a FIFO bottleneck link, and a receiver writing real
 * transport-cc feedback with a {@link TransportCcRecorder}, all on a fake clock stepped in 5 ms.
 */
final class SimulatedLink {
  static final int PACKET_BYTES = 1200;
  private static final long STEP_US = 5_000;

  final SendSideEstimator estimator;
  final TransportCcRecorder recorder = new TransportCcRecorder();
  long capacityBps;
  double lossRate;
  long propagationUs = 20_000;
  /** Tail drop once the queue holds this much delay. */
  long queueLimitUs = 400_000;
  long nowUs = 1_000_000_000L;
  long maxQueueUs;

  private final Random random = new Random(7);
  private final ArrayDeque<long[]> packetsInFlight = new ArrayDeque<>(); // {seq, arrivalUs}
  private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>(); // {deliveryUs, bytes}
  private final byte[] buf = new byte[1500];
  private long linkFreeUs;
  private double creditBytes;
  private int seq;

  SimulatedLink(SendSideEstimator estimator, long capacityBps) {
    this.estimator = estimator;
    this.capacityBps = capacityBps;
  }

  /** Runs for durationUs; returns the estimate at the end. */
  long run(long durationUs) {
    for (long end = nowUs + durationUs; nowUs < end; nowUs += STEP_US) {
      send();
      deliverPackets();
      deliverFeedback();
    }
    return estimator.estimateBps(nowUs);
  }

  private void send() {
    creditBytes += estimator.estimateBps(nowUs) / 8.0 * STEP_US / 1e6;
    while (creditBytes >= PACKET_BYTES) {
      creditBytes -= PACKET_BYTES;
      int s = seq++ & 0xffff;
      estimator.onPacketSent(s, PACKET_BYTES, nowUs);
      if (random.nextDouble() < lossRate) {
        continue;
      }
      long startUs = Math.max(nowUs, linkFreeUs);
      if (startUs - nowUs > queueLimitUs) {
        continue;
      }
      maxQueueUs = Math.max(maxQueueUs, startUs - nowUs);
      linkFreeUs = startUs + PACKET_BYTES * 8L * 1_000_000 / capacityBps;
      packetsInFlight.add(new long[] {s, linkFreeUs + propagationUs});
    }
  }

  private void deliverPackets() {
    while (!packetsInFlight.isEmpty() && packetsInFlight.peek()[1] <= nowUs) {
      long[] p = packetsInFlight.poll();
      recorder.onPacket((int) p[0], p[1]);
    }
    if (recorder.feedbackDue(nowUs)) {
      for (int n; (n = recorder.writeFeedback(buf, 0, 1, 2, nowUs)) > 0; ) {
        feedbackInFlight.add(new Object[] {nowUs + propagationUs, java.util.Arrays.copyOf(buf, n)});
      }
    }
  }

  private void deliverFeedback() {
    while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peek()[0] <= nowUs) {
      byte[] fb = (byte[]) feedbackInFlight.poll()[1];
      if (!estimator.onTransportFeedback(fb, 0, fb.length, nowUs)) {
        throw new AssertionError("the estimator refused the recorder's feedback");
      }
    }
  }
}
